// Runs `npm start` (scripts/start.ts) on a free port, until it says where it serves.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { ROOT } from "./cli.ts";

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

export interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `npm start -- …args` and resolves once the server says where it listens (within two minutes, the demo's promise). */
export async function start(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, ["scripts/start.ts", ...args, "--port", String(port)], { cwd: ROOT, env: { ...process.env, GITHUB_ACTIONS: "", ...env } });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no server after 120 s:\n${output}`)), 120_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const match = /Server at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start ended (${code}) before serving:\n${output}`));
    });
  });
  return { child, url, output: () => output };
}

/** Stops it as Ctrl-C would, and waits until it has cleaned up. */
export async function stop(started: Started | undefined): Promise<void> {
  if (!started || started.child.exitCode !== null || started.child.signalCode !== null) return;
  started.child.kill("SIGTERM");
  await once(started.child, "exit");
}
