// One loopback HTTP server that plays thousands of made-up hosts, told apart by the Host
// header, plus a port where nothing listens (for instances that refuse connections).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { once } from "node:events";
import type { AddressInfo, Socket } from "node:net";

export type HostHandler = (host: string, request: IncomingMessage, response: ServerResponse, body: string) => void;

export interface VirtualHosts {
  port: number;
  /** A loopback port with no listener: connections to it are refused. */
  refusedPort: number;
  close(): Promise<void>;
}

/** A small deterministic generator (mulberry32), so a fleet is the same on every run. */
export function seeded(seed: string): () => number {
  let state = 2166136261;
  for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 16777619);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A resolver for the probe: every name under one of `domains` is 127.0.0.1, and no other name exists. */
export function fleetResolver(...domains: string[]) {
  return resolverOf(domains, [{ address: "127.0.0.1", family: 4 }]);
}

/** The same, with each name resolving to 127.0.0.1 and ::1 (A first, as most resolvers order them). */
export function dualStackResolver(...domains: string[]) {
  return resolverOf(domains, [{ address: "127.0.0.1", family: 4 }, { address: "::1", family: 6 }]);
}

function resolverOf(domains: string[], answer: { address: string; family: number }[]) {
  return async (hostname: string) => {
    if (domains.some((domain) => hostname.endsWith(`.${domain}`))) return answer;
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
  };
}

/** `host` "::" listens on IPv6 loopback too, for fleets resolved by dualStackResolver. */
export async function startVirtualHosts(handler: HostHandler, host = "127.0.0.1"): Promise<VirtualHosts> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const host = (request.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
      handler(host, request, response, Buffer.concat(chunks).toString("utf8"));
    });
  });
  // Thousands of hosts reuse a few sockets each; the defaults would cap nothing we need.
  server.keepAliveTimeout = 10_000;
  server.maxRequestsPerSocket = 0;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen({ port: 0, host, backlog: 4096 });
  await once(server, "listening");
  const refused = createServer();
  refused.listen(0, "127.0.0.1");
  await once(refused, "listening");
  const refusedPort = (refused.address() as AddressInfo).port;
  refused.close();
  await once(refused, "close");
  return {
    port: (server.address() as AddressInfo).port,
    refusedPort,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close").catch(() => {});
    },
  };
}
