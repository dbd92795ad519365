// `npm start` end to end: probe a loopback list, build, serve; and when the probe cannot
// finish, serve the site built from the data already in place.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { join } from "node:path";
import { probedSiteData, readText, type SiteData } from "./support/site-data.ts";
import { writeJson } from "./support/loopback.ts";
import { ROOT } from "./support/cli.ts";

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Runs `npm start` (scripts/start.ts) until the server says where it listens. */
async function start(args: string[]): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, ["scripts/start.ts", ...args, "--port", String(port)], { cwd: ROOT, env: { ...process.env, GITHUB_ACTIONS: "" } });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no server after 60 s:\n${output}`)), 60_000);
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
    child.on("exit", (code) => reject(new Error(`npm start ended (${code}) before serving:\n${output}`)));
  });
  return { child, url, output: () => output };
}

async function stop(started: Started | undefined): Promise<void> {
  if (!started || started.child.exitCode !== null) return;
  started.child.kill("SIGTERM");
  await once(started.child, "exit");
}

describe("npm start", () => {
  let data: SiteData;
  let running: Started | undefined;

  before(async () => {
    data = await probedSiteData();
    assert.equal(data.probe.code, 0, data.probe.stderr);
  });
  after(async () => {
    await stop(running);
    await data?.close();
  });

  it("probes the list, builds the site and serves it under the list's path prefix", async () => {
    const before = readText(data.instancesFile);
    running = await start(["--list", data.listFile, "--out", data.instancesFile]);
    assert.match(running.url, /\/test-list\/$/);
    const home = await fetch(running.url);
    assert.equal(home.status, 200);
    assert.match(await home.text(), /Working cobalt/);
    const published = await fetch(new URL("instances.json", running.url));
    const probedAgain = readText(data.instancesFile);
    assert.notEqual(probedAgain, before, "the probe ran again and wrote new check times");
    assert.equal(await published.text(), probedAgain);
    await stop(running);
    assert.equal((await fetch(running.url).catch(() => null))?.status, undefined, "the server stopped with npm start");
  });

  it("serves the existing data when the probe cannot finish (here: a list the probe refuses)", async () => {
    const badList = join(data.dir, "bad-list.json");
    const list = JSON.parse(readText(data.listFile));
    writeJson(badList, { ...list, instances: [...list.instances, { kind: "peertube", url: "https://videos.example" }] });
    const before = readText(data.instancesFile);
    running = await start(["--list", badList, "--out", data.instancesFile]);
    assert.match(running.output(), /bad-list\.json:\d+:\d+ \/instances\/6: unsupported kind "peertube"/, "the probe's own error names the file and the entry");
    assert.match(running.output(), /The probe did not finish \(see above\); building the site from the data already in/);
    assert.equal(readText(data.instancesFile), before, "nothing was overwritten");
    const published = await fetch(new URL("instances.json", running.url));
    assert.equal(await published.text(), before);
  });
});
