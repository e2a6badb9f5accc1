// Runs a WASI command module directly on V8 (node), as the reference runtime
// for bench/run:
//   node --no-experimental-fetch bench/v8-run.mjs [--env K=V]... [--file GUEST=HOST]... X.wasm [args...]
// --env adds an environment variable; --file copies the host file HOST into
// an in-memory file system preopened as "/", at the absolute path GUEST (for
// CPython: --file /lib/python311.zip=build/cpython/lib/python311.zip).
// Uses @bjorn3/browser_wasi_shim because Node 20's node:wasi crashes once
// the module's memory has grown.
import { readFileSync, writeSync } from "node:fs";
import { basename } from "node:path";
import { WASI, File, OpenFile, ConsoleStdout, Directory, PreopenDirectory } from "@bjorn3/browser_wasi_shim";

const argv = process.argv.slice(2);
const env = [];
const root = new Map();  // the "/" preopen's contents, when any --file is given
while (argv[0] === "--env" || argv[0] === "--file") {
  const [option, value] = argv.splice(0, 2);
  if (value === undefined) {
    console.error(`${option} needs a value`);
    process.exit(2);
  }
  if (option === "--env") {
    env.push(value);
    continue;
  }
  const [guest, host] = value.split("=");
  const parts = guest.split("/").filter((p) => p);
  let dir = root;
  for (const part of parts.slice(0, -1)) {
    if (!dir.has(part)) dir.set(part, new Directory(new Map()));
    dir = dir.get(part).contents;
  }
  dir.set(parts[parts.length - 1], new File(readFileSync(host), { readonly: true }));
}
const [path, ...args] = argv;
if (!path) {
  console.error("usage: v8-run.mjs [--env K=V]... [--file GUEST=HOST]... MODULE.wasm [ARGS...]");
  process.exit(2);
}
const fds = [
  new OpenFile(new File([])),                        // stdin: empty
  new ConsoleStdout((bytes) => writeSync(1, bytes)),  // stdout, unbuffered
  new ConsoleStdout((bytes) => writeSync(2, bytes)),  // stderr
];
if (root.size) fds.push(new PreopenDirectory("/", root));
const wasi = new WASI([basename(path), ...args], env, fds, { debug: false });
const module = await WebAssembly.compile(readFileSync(path));
const instance = await WebAssembly.instantiate(module, {
  wasi_snapshot_preview1: wasi.wasiImport,
});
process.exitCode = wasi.start(instance);
