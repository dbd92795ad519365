// `npm start` end to end: probe a loopback list, build, serve; when the probe cannot
// finish, serve the site built from the data already in place, or, with no network and no
// data yet, a demo.
import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { probedSiteData, readText, type SiteData } from "./support/site-data.ts";
import { writeJson } from "./support/loopback.ts";
import { start, stop, type Started } from "./support/start.ts";
import { ROOT } from "./support/cli.ts";

/** Every file under the checkout's data/ and its bytes. */
function checkoutData(): Record<string, string> {
  const dir = join(ROOT, "data");
  return Object.fromEntries(readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile())
    .map((entry) => [join(entry.parentPath, entry.name), readFileSync(join(entry.parentPath, entry.name), "utf8")]));
}

describe("npm start", () => {
  let data: SiteData;
  let running: Started | undefined;

  before(async () => {
    data = await probedSiteData();
    assert.equal(data.probe.code, 0, data.probe.stderr);
  });
  afterEach(() => stop(running));
  after(() => data?.close());
  const site = () => ["--site", join(data.dir, "site")];

  it("probes the list, builds the site and serves it under the list's path prefix", async () => {
    const before = readText(data.instancesFile);
    running = await start(["--list", data.listFile, "--out", data.instancesFile, ...site()]);
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
    running = await start(["--list", badList, "--out", data.instancesFile, ...site()]);
    assert.match(running.output(), /bad-list\.json:\d+:\d+ \/instances\/6: unsupported kind "peertube"/, "the probe's own error names the file and the entry");
    assert.match(running.output(), /The probe did not finish \(see above\); building the site from the data already in/);
    assert.equal(readText(data.instancesFile), before, "nothing was overwritten");
    const published = await fetch(new URL("instances.json", running.url));
    assert.equal(await published.text(), before);
  });

  it("shows a demo of simulated instances when there is no network and no data yet, and writes no data", async () => {
    // No name resolves (not even the reachability check's): a machine without network, whatever else runs on this one.
    const offlineList = join(data.dir, "offline-list.json");
    writeJson(offlineList, {
      title: "Offline list",
      probe: { timeoutMs: 30_000, reachabilityCheck: "https://reachable.invalid/" },
      services: { youtube: "https://www.youtube.com/watch?v=jNQXAC9IVRw" },
      instances: [{ kind: "cobalt", api: "https://cobalt.invalid/" }, { kind: "mastodon", url: "https://mastodon.invalid/" }],
    });
    const out = join(data.dir, "not-yet.json");
    const before = checkoutData();
    running = await start(["--list", offlineList, "--out", out, ...site()], { NODE_OPTIONS: "--import ./test/support/loopback-dns.ts" });
    assert.match(running.output(), /this machine seems to have no network/, "the probe's own message first");
    assert.match(running.output(), /No network and no data in \S+not-yet\.json yet: showing a demo instead, built from simulated instances/);
    const folder = /into (\S+) \(data\/ is left alone\)/.exec(running.output())?.[1];
    assert.ok(folder && existsSync(join(folder, "instances.json")), "the demo's data is in a temporary folder");

    const home = await (await fetch(running.url)).text();
    assert.match(home, /<p class="banner demo" role="note"><strong>Demo:<\/strong> every instance on this site is simulated/);
    assert.match(home, /<table class="instances" data-kind="cobalt"[\s\S]*Demo cobalt 1[\s\S]*<\/table>/);
    assert.match(home, /<table class="instances" data-kind="mastodon"[\s\S]*m0\.mastodon\.test[\s\S]*<\/table>/);
    const status = await (await fetch(new URL("status.json", running.url))).json() as { demo: boolean; instances: { by_kind: Record<string, { total: number; online: number }> } };
    assert.equal(status.demo, true);
    for (const kind of ["cobalt", "mastodon"]) {
      assert.equal(status.instances.by_kind[kind]?.total, 20, kind);
      assert.ok(status.instances.by_kind[kind]!.online > 10, `${kind}: most simulated instances answered the real probe`);
    }

    await stop(running);
    assert.equal(existsSync(folder), false, "the demo's folder is gone once npm start stops");
    assert.equal(existsSync(out), false, "no data was written where the list's data goes");
    assert.deepEqual(checkoutData(), before, "the checkout's data/ is untouched");
  });
});
