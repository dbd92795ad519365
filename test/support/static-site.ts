// Serves a built site from a folder under a path prefix, as GitHub Pages serves a fork
// at https://user.github.io/repo/: folders answer with their index.html, unknown paths
// with the site's 404.html and status 404.
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { startServer, type Loopback } from "./loopback.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/atom+xml; charset=utf-8",
  ".svg": "image/svg+xml",
};

export function serveStatic(root: string, prefix = "/"): Promise<Loopback> {
  return startServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    let file = path.startsWith(prefix) ? join(root, normalize(`/${path.slice(prefix.length)}`)) : null;
    if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    const found = file !== null && existsSync(file) && statSync(file).isFile();
    const served = found ? file! : join(root, "404.html");
    response.writeHead(found ? 200 : 404, { "content-type": TYPES[extname(served)] ?? "application/octet-stream" });
    response.end(readFileSync(served));
  });
}
