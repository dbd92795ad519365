// The real cobalt API server on loopback: its source (a release tarball or a checkout) is
// installed once into an ignored cache folder, then started as a child process in the
// configuration a test asks for. A recording relay in front of it keeps every answer the
// server gave the probe, byte for byte, so tests can compare the published data with it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { once } from "node:events";
import { join, relative, resolve } from "node:path";
import type { AddressInfo, Socket } from "node:net";
import { ROOT } from "./cli.ts";

/** The environment variable that names the upstream source: a `.tar.gz` of cobalt's `api/` and `packages/`, or a checkout. */
export const UPSTREAM_VARIABLE = "COBALT_UPSTREAM";
export const CACHE_DIR = join(ROOT, ".cache", "upstream-cobalt");
/** The fake git metadata the server reports in `GET /` (cobalt reads it from a `.git` folder above `api/`). */
export const UPSTREAM_GIT = { commit: "a636575b09de1fc55d9b8cd98cac88f5f2f16b42", branch: "main", remote: "imputnet/cobalt" };

/** The upstream source named by the environment, resolved from the working directory; null when none is named. */
export function upstreamSource(env: Record<string, string | undefined> = process.env): string | null {
  const named = env[UPSTREAM_VARIABLE]?.trim();
  if (!named) return null;
  const path = resolve(named);
  if (!existsSync(path)) throw new Error(`${UPSTREAM_VARIABLE}=${named}: no such file or folder (give a cobalt .tar.gz or a checkout with api/ and packages/)`);
  return path;
}

/** Why the conformance suite does not run here, in one line; null when it can. */
export function skipReason(env: Record<string, string | undefined> = process.env): string | false {
  if (env[UPSTREAM_VARIABLE]?.trim()) return false;
  return `conformance against the real cobalt server skipped: set ${UPSTREAM_VARIABLE} to a cobalt release .tar.gz or checkout (e.g. ${UPSTREAM_VARIABLE}=../shared/upstream/cobalt-11.7.1.tar.gz npm test), or run npm run conformance -- --cobalt PATH`;
}

/** Files of a checkout that make up what is installed: node_modules and git data are not the source. */
function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const top of ["api", "packages"]) {
    const walk = (folder: string) => {
      for (const item of readdirSync(folder, { withFileTypes: true })) {
        if (item.name === "node_modules" || item.name === ".git") continue;
        const path = join(folder, item.name);
        if (item.isDirectory()) walk(path);
        else if (item.isFile()) files.push(path);
      }
    };
    if (!existsSync(join(dir, top))) throw new Error(`${dir}: not a cobalt checkout (no ${top}/ folder)`);
    walk(join(dir, top));
  }
  return files.sort();
}

/** A cache key that changes whenever the source does: the tarball's bytes, or every source file's path and bytes. */
function sourceKey(source: string): string {
  const hash = createHash("sha256");
  if (statSync(source).isDirectory()) {
    for (const file of sourceFiles(source)) hash.update(relative(source, file)).update("\0").update(readFileSync(file)).update("\0");
  } else {
    hash.update(readFileSync(source));
  }
  return hash.digest("hex").slice(0, 16);
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd} (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr?.slice(-2000)}`);
  }
}

/**
 * Installs the source once per version of it and returns the folder holding `api/`. The
 * install happens in a folder of its own and is renamed into place when complete, so a
 * run interrupted half-way, or two runs at once, never leave a broken cache behind.
 */
export function installUpstream(source: string): { root: string; installed: boolean; version: string } {
  const root = join(CACHE_DIR, sourceKey(source));
  const version = () => JSON.parse(readFileSync(join(root, "api", "package.json"), "utf8")).version as string;
  if (existsSync(join(root, "api", "node_modules"))) return { root, installed: false, version: version() };
  mkdirSync(CACHE_DIR, { recursive: true });
  const building = `${root}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(building);
    if (statSync(source).isDirectory()) {
      for (const top of ["api", "packages"]) {
        cpSync(join(source, top), join(building, top), { recursive: true, filter: (path) => !/[\\/](node_modules|\.git)$/.test(path) });
      }
    } else {
      run("tar", ["-xzf", source, "-C", building], building);
    }
    // cobalt is a pnpm workspace: npm needs the workspace package as a plain folder dependency.
    const packageFile = join(building, "api", "package.json");
    const manifest = JSON.parse(readFileSync(packageFile, "utf8"));
    for (const [name, range] of Object.entries<string>(manifest.dependencies ?? {})) {
      if (range.startsWith("workspace:")) manifest.dependencies[name] = `file:../packages/${name.split("/").pop()}`;
    }
    writeFileSync(packageFile, `${JSON.stringify(manifest, null, 2)}\n`);
    // The server reads its commit, branch and remote from here.
    mkdirSync(join(building, ".git", "logs"), { recursive: true });
    writeFileSync(join(building, ".git", "HEAD"), `ref: refs/heads/${UPSTREAM_GIT.branch}\n`);
    writeFileSync(join(building, ".git", "logs", "HEAD"), `${"0".repeat(40)} ${UPSTREAM_GIT.commit} test <test@localhost> 0 +0000\tcommit\n`);
    writeFileSync(join(building, ".git", "config"), `[remote "origin"]\n\turl = https://github.com/${UPSTREAM_GIT.remote}.git\n`);
    // --ignore-scripts: ffmpeg-static would download a binary, and no test needs one.
    run("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], join(building, "api"));
    try {
      renameSync(building, root);
    } catch (error) {
      // Another run finished the same install first: use it.
      if (!existsSync(join(root, "api", "node_modules"))) throw error;
    }
    return { root, installed: true, version: version() };
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}

/** One exchange between the probe and the server, as the server sent it. */
export interface Exchange {
  method: string;
  path: string;
  requestHeaders: IncomingHttpHeaders;
  requestBody: string;
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface UpstreamCobalt {
  /** The URL to list: the recording relay in front of the server. */
  url: string;
  /** The server's own address, for requests that are not the probe's. */
  directUrl: string;
  exchanges: Exchange[];
  /** What the server printed, for failure messages. */
  output: () => string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

/**
 * Starts `node src/cobalt` with the given settings (see api/src/core/env.js) and waits until
 * `GET /` answers and, when `ready` is given, until the server has printed it (API keys are
 * loaded after the server listens).
 */
export async function startUpstream(root: string, settings: Record<string, string> = {}, ready?: string): Promise<UpstreamCobalt> {
  // A free port can be taken before cobalt binds it (another server's tunnel handler picks a random one): try another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnFreePort(root, settings, ready);
    } catch (error) {
      if (attempt >= 3 || !String((error as Error).message).includes("EADDRINUSE")) throw error;
    }
  }
}

async function startOnFreePort(root: string, settings: Record<string, string>, ready?: string): Promise<UpstreamCobalt> {
  const port = await freePort();
  const directUrl = `http://127.0.0.1:${port}/`;
  // Only what the server needs: a proxy variable or a .env of the machine must not change it.
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", API_URL: directUrl, API_PORT: String(port), API_LISTEN_ADDRESS: "127.0.0.1", ...settings };
  const child: ChildProcess = spawn(process.execPath, ["src/cobalt"], { cwd: join(root, "api"), env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = once(child, "exit");
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
  };
  try {
    await waitForServerInfo(directUrl, child, () => output, port, ready);
  } catch (error) {
    await stop();
    throw error;
  }
  const relay = await startRelay(port);
  return {
    url: relay.url,
    directUrl,
    exchanges: relay.exchanges,
    output: () => output,
    async close() {
      await relay.close();
      await stop();
    },
  };
}

/**
 * Waits until cobalt has said it listens on `port` (its start banner, printed once it has the
 * port) and `GET /` answers: on a shared machine another program may hold a port that was free a
 * moment ago, and its answers must not pass for cobalt's.
 */
async function waitForServerInfo(url: string, child: ChildProcess, output: () => string, port: number, ready?: string): Promise<void> {
  const listening = () => output().replace(/\x1b\[[0-9;]*m/g, "").includes(`port: ${port}\n`);
  // Generous: six servers start at once, and a busy machine can take minutes to boot them.
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`cobalt exited with ${child.exitCode} before answering:\n${output().slice(-2000)}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200 && listening() && (!ready || output().includes(ready))) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`cobalt did not answer GET ${url}${ready ? ` and print "${ready}"` : ""} within 300 s:\n${output().slice(-2000)}`);
}

/** An HTTP relay that passes requests and answers through unchanged and records each exchange. */
async function startRelay(targetPort: number): Promise<{ url: string; exchanges: Exchange[]; close(): Promise<void> }> {
  const exchanges: Exchange[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const requestBody = Buffer.concat(chunks);
    const upstream = httpRequest({ host: "127.0.0.1", port: targetPort, method: request.method, path: request.url, headers: request.headers }, async (answer) => {
      const parts: Buffer[] = [];
      for await (const chunk of answer) parts.push(chunk as Buffer);
      const body = Buffer.concat(parts);
      exchanges.push({
        method: request.method ?? "GET", path: request.url ?? "/", requestHeaders: request.headers, requestBody: requestBody.toString("utf8"),
        status: answer.statusCode ?? 0, headers: answer.headers, body: body.toString("utf8"),
      });
      response.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      response.end(body);
    });
    upstream.on("error", (error) => {
      response.writeHead(502);
      response.end(String(error));
    });
    upstream.end(requestBody);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    exchanges,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close").catch(() => {});
    },
  };
}
