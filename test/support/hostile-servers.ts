// Loopback servers posing as cobalt instances, each with one pathology, for the fault-
// injection suite and the hostile benchmark. Large bodies are generated on the fly, so
// the servers themselves stay small however much they send, and cheaply, so that each
// answers at once even on a busy machine: what a test expects must not depend on its speed.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { once } from "node:events";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import type { AddressInfo, Socket } from "node:net";
import { parseList } from "../../scripts/lib/list.ts";
import { runProbes, type Instance } from "../../scripts/lib/run.ts";
import { startFakeCobalt } from "./cobalt-server.ts";
import { loopbackResolver } from "./loopback.ts";

export interface HostileServer {
  name: string;
  url: string;
  /** TCP connections accepted so far: proves whether the probe reached this server at all. */
  connections: () => number;
  /** Body bytes generated before compression: shows where the probe stopped reading. */
  produced: () => number;
  close(): Promise<void>;
}

type Pathology = (request: IncomingMessage, response: ServerResponse, self: Self) => void;
interface Self {
  url: string;
  produced: number;
}

const MB = 1024 * 1024;

/** A readable stream of `total` bytes of `fill`, produced as the reader asks for them. */
function generated(self: Self, total: number, fill = 0x61): Readable {
  const chunk = Buffer.alloc(64 * 1024, fill);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const size = Math.min(chunk.length, total - sent);
      sent += size;
      self.produced += size;
      this.push(size === chunk.length ? chunk : chunk.subarray(0, size));
    },
  });
}

/** The same bytes `count` times, produced as the reader asks; each copy counts as `decodedSize` produced bytes. */
function repeated(self: Self, bytes: Buffer, count: number, decodedSize: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent++ >= count) return void this.push(null);
      self.produced += decodedSize;
      this.push(bytes);
    },
  });
}

/**
 * One gzip member of 1 MB of spaces (about 1 KB compressed), made once. The bomb sends it
 * 4096 times (a gzip stream may hold many members): compressing 4 GB as it goes would make
 * the server, not the probe, the slow part on a busy machine.
 */
let spacesMember: Buffer | undefined;

/** Pipes a generated body, ignoring the error the probe causes when it hangs up at its cap. */
function stream(response: ServerResponse, body: Readable): void {
  const stop = () => body.destroy();
  response.on("close", stop);
  response.on("error", stop);
  body.pipe(response);
}

/** JSON nested `depth` levels deep: `{"cobalt":[[[…]]]}`, streamed. */
function deeplyNested(depth: number): Readable {
  const parts = [Buffer.from('{"cobalt":'), Buffer.alloc(depth, "["), Buffer.alloc(depth, "]"), Buffer.from("}")];
  return Readable.from(parts);
}

/** Every pathology the suite covers, by name. Each answers every request the same way. */
export const PATHOLOGIES: Record<string, Pathology> = {
  "never answers": () => {},
  "sends the body one byte a second forever": (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.write("{");
    const timer = setInterval(() => response.write(" "), 1000);
    response.on("close", () => clearInterval(timer));
  },
  "closes the connection mid-body": (_request, response) => {
    response.writeHead(200, { "content-type": "application/json", "content-length": "10000" });
    response.write('{"cobalt":{"version":"10.', () => response.socket?.destroy());
  },
  "answers 500": (_request, response) => {
    response.writeHead(500, { "content-type": "text/plain" });
    response.end("internal server error");
  },
  "answers an HTML page with 200": (_request, response) => {
    response.writeHead(200, { "content-type": "text/html" });
    response.end("<!doctype html><title>Welcome to nginx!</title><h1>It works</h1>");
  },
  "answers invalid JSON": (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end('{"cobalt":{"version":"10.1",');
  },
  "answers JSON nested millions of levels deep": (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    stream(response, deeplyNested(2_000_000));
  },
  "answers JSON nested below the size cap": (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    stream(response, deeplyNested(400_000));
  },
  "answers the right keys with the wrong types": (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ cobalt: { version: 10, services: "youtube", startTime: {}, url: [] }, git: null }));
  },
  "sends a body of 300 MB": (_request, response, self) => {
    response.writeHead(200, { "content-type": "application/json", "content-length": String(300 * MB) });
    stream(response, generated(self, 300 * MB));
  },
  "sends gzip that inflates to 4 GB": (_request, response, self) => {
    response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
    spacesMember ??= gzipSync(Buffer.alloc(MB, 0x20), { level: 9 });
    stream(response, repeated(self, spacesMember, 4096, MB));
  },
  "sends a header of 512 KB": (_request, response) => {
    response.writeHead(200, { "content-type": "application/json", "x-padding": "a".repeat(512 * 1024) });
    response.end("{}");
  },
  "redirects in a loop": (request, response, self) => {
    const hop = Number(new URL(request.url ?? "/", self.url).searchParams.get("hop") ?? 0) + 1;
    response.writeHead(302, { location: `${self.url}/?hop=${hop}` });
    response.end();
  },
  "answers 429 with Retry-After": (_request, response) => {
    response.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
    response.end('{"status":"error","error":{"code":"error.api.rate_exceeded"}}');
  },
};

/** Starts a server on `host` (any 127/8 address on Linux) with one pathology. */
export async function startHostile(name: string, pathology: Pathology, host = "127.0.0.1"): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const self: Self = { url: "", produced: 0 };
  const server: Server = createServer({ maxHeaderSize: 64 * 1024 }, (request, response) => {
    request.resume();
    pathology(request, response, self);
  });
  server.on("connection", (socket) => {
    connections++;
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  // A pathology must never be cut short by the server's own patience.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.listen(0, host);
  await once(server, "listening");
  self.url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    name,
    url: self.url,
    connections: () => connections,
    produced: () => self.produced,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close").catch(() => {});
    },
  };
}

/** A server that redirects every request to `target`. */
export function redirectTo(target: string): Pathology {
  return (_request, response) => {
    response.writeHead(302, { location: target });
    response.end();
  };
}

/** Every pathology of PATHOLOGIES plus a redirect to a server on 127.0.0.2, which a list allowing only 127.0.0.1/32 must never reach. */
export async function startHostileFleet(): Promise<{ servers: HostileServer[]; forbidden: HostileServer; close(): Promise<void> }> {
  const forbidden = await startHostile("forbidden target on 127.0.0.2", PATHOLOGIES["answers 500"]!, "127.0.0.2");
  const servers = await Promise.all(Object.entries(PATHOLOGIES).map(([name, pathology]) => startHostile(name, pathology)));
  servers.push(await startHostile("redirects to an address the list does not allow", redirectTo(`${forbidden.url}/`)));
  return {
    servers,
    forbidden,
    async close() {
      await Promise.all([...servers, forbidden].map((server) => server.close()));
    },
  };
}

export const HEALTHY_TEST_LINK = "https://www.youtube.com/watch?v=jNQXAC9IVRw";

export interface FleetRun {
  /** Listed URL → the entry the probe published for it. */
  entries: Map<string, Instance>;
  servers: HostileServer[];
  forbidden: HostileServer;
  healthyUrl: string;
  wallMs: number;
  timeoutMs: number;
}

/** Probes the whole hostile fleet and one healthy instance in one run of the real probe. */
export async function probeHostileFleet(timeoutMs: number): Promise<FleetRun> {
  const fleet = await startHostileFleet();
  const healthy = await startFakeCobalt({ outcomes: { [HEALTHY_TEST_LINK]: { status: "redirect" } } });
  try {
    const list = parseList("hostile-list.json", JSON.stringify({
      title: "hostile fleet",
      probe: { allowPrivateAddresses: ["127.0.0.1/32"], timeoutMs, budgetMs: 100_000 },
      services: { youtube: HEALTHY_TEST_LINK },
      instances: [healthy.url, ...fleet.servers.map((server) => server.url)].map((api) => ({ kind: "cobalt", api })),
    }));
    const { entries, stats } = await runProbes({ list, resolve: loopbackResolver() });
    return {
      entries: new Map(entries.map((entry) => [entry.kind === "cobalt" ? entry.api_url : "", entry])),
      servers: fleet.servers,
      forbidden: fleet.forbidden,
      healthyUrl: healthy.url,
      wallMs: stats.wallMs,
      timeoutMs,
    };
  } finally {
    await Promise.all([fleet.close(), healthy.close()]);
  }
}
