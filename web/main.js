// The minimal page: runs a chosen .wasm module with the Wasmscope CLI
// (wasmscope_web.js, built by the web preset) and shows what it printed.
// A fresh CLI instance per run, so no state leaks from one run to the next.
/* global createWasmscope */

const form = document.getElementById("run-form");
const moduleInput = document.getElementById("module");
const argsInput = document.getElementById("args");
const runButton = document.getElementById("run");
const statusLine = document.getElementById("status");
const output = document.getElementById("output");

function showStatus(text, state) {
  statusLine.textContent = text;
  statusLine.dataset.state = state;
}

function appendOutput(line, stream) {
  const span = document.createElement("span");
  span.className = stream;
  span.textContent = line + "\n";
  output.append(span);
}

// Runs `wasmscope run /input.wasm ARGS...`; resolves to the exit status.
async function runModule(bytes, args) {
  const cli = await createWasmscope({
    print: (line) => appendOutput(line, "stdout"),
    printErr: (line) => appendOutput(line, "stderr"),
    // End of input: the page has no console yet, and Emscripten's default
    // stdin would pop up window.prompt().
    stdin: () => null,
  });
  cli.FS.writeFile("/input.wasm", bytes);
  return cli.callMain(["run", "/input.wasm", ...args]);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = moduleInput.files[0];
  if (!file) return;
  const args = argsInput.value.split(/\s+/).filter((arg) => arg !== "");
  output.replaceChildren();
  runButton.disabled = true;
  showStatus(`Running ${file.name}…`, "running");
  try {
    const exitStatus = await runModule(new Uint8Array(await file.arrayBuffer()), args);
    showStatus(`Exit status ${exitStatus}`, "done");
  } catch (error) {
    showStatus(`The interpreter crashed: ${error}`, "crashed");
  } finally {
    runButton.disabled = false;
  }
});
