// Browser test of the minimal page: serves web/ with a web build, opens it in
// Debian's Chromium (playwright-core, never a downloaded browser), uploads
// tests/e2e/hello.c's module with two arguments, and checks the output and
// exit status the page shows.
//   node tests/e2e/web-page.mjs BUILD_DIR     (BUILD_DIR: build/web)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../../scripts/serve.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const buildDir = resolve(process.argv[2] ?? join(root, "build/web"));
const helloWasm = join(buildDir, "e2e/hello.wasm");

function check(condition, message) {
  if (!condition) throw new Error(message);
  console.log(`ok: ${message}`);
}

const { server, url } = await serve([join(root, "web"), buildDir]);
const profile = mkdtempSync(join(tmpdir(), "wasmscope-e2e-"));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--use-angle=swiftshader",
           "--enable-unsafe-swiftshader", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  page.on("console", (message) => console.log(`[page ${message.type()}] ${message.text()}`));

  await page.goto(url);
  await page.setInputFiles("#module", helloWasm);
  await page.fill("#args", "alpha  beta");
  await page.click("#run");
  await page.waitForFunction(
    () => ["done", "crashed"].includes(document.getElementById("status").dataset.state),
    null, { timeout: 60000 });
  await page.screenshot({ path: join(buildDir, "e2e/web-page.png") });

  const status = await page.textContent("#status");
  const output = await page.textContent("#output");
  console.log(`status: ${status}\noutput:\n${output}`);
  check(pageErrors.length === 0, `no page errors (${pageErrors.join("; ")})`);
  check(output.includes("Hello from WASI!\n"), "the module's stdout is shown");
  check(output.includes("arg 1: alpha\narg 2: beta\n"), "the arguments reach the module");
  check(status === "Exit status 3", "the exit status is shown");
  console.log("1 passed, 0 failed");
} catch (error) {
  console.error(`FAIL: ${error.message}`);
  console.log("0 passed, 1 failed");
  process.exitCode = 1;
} finally {
  await context?.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
