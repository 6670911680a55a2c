#!/usr/bin/env node
// A tiny static server for www/ (no dependencies). Listens on 127.0.0.1 only, port $PORT or
// 8080, or any free port when that one is busy. Prints the URL. Also usable in-process:
//   import { serve } from "./serve.mjs"; const { url, close } = await serve({ port: 0 });
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const defaultRoot = path.resolve(here, "..", "www");

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".csv": "text/csv; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".ts": "text/plain; charset=utf-8",
};

function handler(root, headers) {
  return (req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400).end("bad request");
      return;
    }
    const file = path.resolve(root, "." + pathname);
    // Never serve anything outside the root (../ in the URL).
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end("forbidden");
      return;
    }
    fs.stat(file, (err, stat) => {
      const target = !err && stat.isDirectory() ? path.join(file, "index.html") : file;
      if (!err && stat.isDirectory() && !pathname.endsWith("/")) {
        res.writeHead(301, { Location: pathname + "/" }).end();
        return;
      }
      fs.readFile(target, (err2, body) => {
        if (err2) {
          res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
          return;
        }
        const type = MIME[path.extname(target).toLowerCase()] || "application/octet-stream";
        res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-cache", ...headers });
        res.end(req.method === "HEAD" ? undefined : body);
      });
    });
  };
}

/**
 * Starts the server; `port` 0 picks a free port; `headers` are added to every file served (the
 * embedding test sends `Access-Control-Allow-Origin`, as a lab's server must for <lagmix-app>).
 * Resolves to {url, port, close}.
 */
export function serve({ port = 8080, root = defaultRoot, fallback = true, headers = {} } = {}) {
  const server = http.createServer(handler(path.resolve(root), headers));
  return new Promise((resolve, reject) => {
    const listen = (p) => {
      server.once("error", (e) => {
        if (e.code === "EADDRINUSE" && fallback && p !== 0) listen(0);
        else reject(e);
      });
      server.listen(p, "127.0.0.1", () => {
        const actual = server.address().port;
        resolve({
          url: `http://127.0.0.1:${actual}/`,
          port: actual,
          close: () => new Promise((r) => server.close(() => r())),
        });
      });
    };
    listen(port);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = process.env.PORT !== undefined ? Number(process.env.PORT) : 8080;
  // CORS=1: also serve <lagmix-app> to pages of other origins (see the README, "Embedding").
  const headers = process.env.CORS === "1" ? { "Access-Control-Allow-Origin": "*" } : {};
  const { url } = await serve({ port, headers });
  console.log(`lagmix is served at ${url}  (Ctrl+C to stop)`);
}
