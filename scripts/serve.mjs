// A tiny static file server for the web page, bound to 127.0.0.1: files are
// looked up in each root folder in turn (web/ first, then the build output).
//   node scripts/serve.mjs PORT ROOT...   (PORT 0 or busy: any free port)
import { createServer } from "node:http";
import { createReadStream, realpathSync, statSync } from "node:fs";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const MIME_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",  // needed for streaming compilation
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

function findFile(roots, urlPath) {
  let relative;
  try {
    relative = normalize(decodeURIComponent(urlPath));
  } catch {
    return null;  // malformed %-escape
  }
  for (const root of roots) {
    let path = join(root, relative);
    if (!path.startsWith(root + sep)) continue;  // no escaping the roots
    try {
      if (statSync(path).isDirectory()) path = join(path, "index.html");
      if (statSync(path).isFile()) return path;
    } catch {
      // not in this root
    }
  }
  return null;
}

function listen(server, port) {
  return new Promise((resolvePort, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolvePort(server.address().port);
    });
  });
}

// Starts serving `roots` on 127.0.0.1:`port`, or on a free port when that one
// is taken. Resolves to { server, url }.
export async function serve(roots, port = 0) {
  const absoluteRoots = roots.map((root) => resolve(root));
  const server = createServer((request, response) => {
    const path = findFile(absoluteRoots, new URL(request.url, "http://x").pathname);
    if (!path) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
      return;
    }
    response.writeHead(200, {
      "Content-Type": MIME_TYPES[extname(path)] ?? "application/octet-stream",
      "Cache-Control": "no-store",
    });
    createReadStream(path).pipe(response);
  });
  let actualPort;
  try {
    actualPort = await listen(server, port);
  } catch (error) {
    if (error.code !== "EADDRINUSE") throw error;
    actualPort = await listen(server, 0);
  }
  return { server, url: `http://127.0.0.1:${actualPort}/` };
}

// Run as a program (not imported): node resolves symlinks in its main path.
if (fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  const [port, ...roots] = process.argv.slice(2);
  const { url } = await serve(roots, Number(port) || 0);
  console.log(`Serving ${roots.join(" + ")} at ${url}`);
}
