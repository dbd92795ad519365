// Real HTTP servers on 127.0.0.1 for tests, and the helpers to point the real probe at them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo, Socket } from "node:net";

export type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void | Promise<void>;

export interface Loopback {
  url: string;
  port: number;
  server: Server;
  /** Requests received, in order: method and path. */
  requests: { method: string; path: string; headers: IncomingMessage["headers"]; body: string }[];
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1 with a random port; close() also drops open sockets.
 * `host` "::" listens on both IPv4 and IPv6 loopback (every 127.x address and ::1), "::1" on
 * IPv6 only, another 127.x address on that one alone.
 */
export async function startServer(handler: Handler, host = "127.0.0.1"): Promise<Loopback> {
  const sockets = new Set<Socket>();
  const requests: Loopback["requests"] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    requests.push({ method: request.method ?? "GET", path: request.url ?? "/", headers: request.headers, body });
    try {
      await handler(request, response, body);
    } catch (error) {
      if (!response.headersSent) response.writeHead(500);
      response.end(String(error));
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen(0, host);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: host === "::1" ? `http://[::1]:${port}` : `http://${host === "::" ? "127.0.0.1" : host}:${port}`,
    port,
    server,
    requests,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close").catch(() => {});
    },
  };
}

export function sendJson(response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body), ...headers });
  response.end(body);
}

/** A resolver for the probe that maps made-up host names to 127.0.0.1 (anything else does not exist). */
export function loopbackResolver(names: string[] = []): (hostname: string) => Promise<{ address: string; family: number }[]> {
  const known = new Set(names);
  return async (hostname) => {
    if (known.has(hostname) || hostname.endsWith(".test")) return [{ address: "127.0.0.1", family: 4 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
  };
}

/** Whether this machine can listen and connect on IPv6 loopback (::1); some containers have no IPv6 at all. */
export async function ipv6LoopbackWorks(): Promise<boolean> {
  try {
    const server = await startServer((_request, response) => void response.end("ok"), "::1");
    try {
      return (await fetch(server.url)).ok;
    } finally {
      await server.close();
    }
  } catch {
    return false;
  }
}

/** A temporary folder, removed by the returned function. */
export function temporaryDirectory(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "instance-list-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
