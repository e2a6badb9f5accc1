// Runs a WASI command module directly on V8 (node), as the reference runtime
// for bench/run: node --no-experimental-fetch bench/v8-run.mjs X.wasm [args...]
// Uses @bjorn3/browser_wasi_shim because Node 20's node:wasi crashes once
// the module's memory has grown.
import { readFileSync, writeSync } from "node:fs";
import { basename } from "node:path";
import { WASI, File, OpenFile, ConsoleStdout } from "@bjorn3/browser_wasi_shim";

const [path, ...args] = process.argv.slice(2);
if (!path) {
  console.error("usage: v8-run.mjs MODULE.wasm [ARGS...]");
  process.exit(2);
}
const fds = [
  new OpenFile(new File([])),                        // stdin: empty
  new ConsoleStdout((bytes) => writeSync(1, bytes)),  // stdout, unbuffered
  new ConsoleStdout((bytes) => writeSync(2, bytes)),  // stderr
];
const wasi = new WASI([basename(path), ...args], [], fds, { debug: false });
const module = await WebAssembly.compile(readFileSync(path));
const instance = await WebAssembly.instantiate(module, {
  wasi_snapshot_preview1: wasi.wasiImport,
});
process.exitCode = wasi.start(instance);
