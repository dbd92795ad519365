// One instance cannot flood the feed: a value that flips every run is news at most once a
// day, and the list-wide /feed.xml keeps every instance's down and up events in view.
// Sixty hourly runs through the steps probe.ts takes, then the real site build.
import { before, after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { prepareHistory } from "../scripts/lib/history/index.ts";
import { readEvents } from "../scripts/lib/history/store.ts";
import { assertValidOutput, type Instance } from "../scripts/lib/run.ts";
import { cobaltEntry } from "./support/output-entries.ts";
import { buildSite, readText } from "./support/site-data.ts";
import { temporaryDirectory, writeJson } from "./support/loopback.ts";

const HOUR = 3_600_000;
const T0 = Date.parse("2026-05-01T00:00:00Z");
const RUNS = 60;
const at = (hour: number) => new Date(T0 + hour * HOUR).toISOString().replace(".000Z", "Z");
/** Honest instances, each down for five runs at its own time and back after. */
const STEADY = ["b.test", "c.test", "d.test", "e.test", "f.test"];
const downAt = (index: number) => 8 + index * 9;

function entryAt(host: string, hour: number): Instance {
  const index = STEADY.indexOf(host);
  const online = index < 0 || hour < downAt(index) || hour >= downAt(index) + 5;
  // The flapping instance changes its version and its YouTube result at every run.
  const flips = host === "flap.test" && hour % 2 === 1;
  const youtube = online && !flips;
  return cobaltEntry(host, {
    checked_at: at(hour), data_updated_at: at(hour), api_online: online, offline_reason: online ? null : "timeout", stale: !online,
    response_ms: online ? 150 : null, version: flips ? "10.1.0" : "10.0.0",
    services: { youtube }, service_results: { youtube: { result: youtube ? "pass" : "fail", status: youtube ? "tunnel" : null, error: youtube ? null : "error.api.fetch.fail" } },
    score: youtube ? 100 : 0,
  });
}

describe("a flapping instance beside steady ones, over 60 hourly runs", () => {
  const folder = temporaryDirectory();
  const store = join(folder.dir, "history");
  let feed: string;

  before(async () => {
    let previous: Instance[] = [];
    for (let hour = 0; hour < RUNS; hour++) {
      const update = prepareHistory(store, ["flap.test", ...STEADY].map((host) => entryAt(host, hour)), previous);
      assertValidOutput(update.entries);
      update.commit();
      previous = update.entries;
    }
    const listFile = join(folder.dir, "list.json");
    const instancesFile = join(folder.dir, "instances.json");
    writeJson(listFile, { title: "Bounded feed", site: "https://list.example/", instances: previous.map((entry) => ({ kind: "cobalt", api: (entry as { api_url: string }).api_url })) });
    writeJson(instancesFile, previous);
    const output = join(folder.dir, "site");
    const build = await buildSite({ listFile, instancesFile, output, env: { HISTORY_DIR: store } });
    assert.equal(build.code, 0, build.stderr);
    feed = readText(join(output, "feed.xml"));
  });
  after(() => folder.remove());

  it("records a flipping value at most once a day", () => {
    const events = readEvents(store, 10_000).filter((event) => event.key.endsWith("flap.test"));
    const days = Math.ceil(RUNS / 24);
    const versions = events.filter((event) => event.type === "version");
    const youtube = events.filter((event) => event.type.startsWith("service_") && event.from === "youtube");
    assert.ok(versions.length >= 1 && versions.length <= days, `${versions.length} version events in ${RUNS} runs`);
    assert.ok(youtube.length <= days, `${youtube.length} YouTube events in ${RUNS} runs`);
    const times = versions.map((event) => Date.parse(event.at)).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! >= 24 * HOUR, "a day between two version events");
  });

  it("keeps every steady instance's down and up events in /feed.xml", () => {
    for (const host of STEADY) {
      assert.ok(feed.includes(`<title>${host} is down</title>`), `${host} down`);
      assert.ok(feed.includes(`<title>${host} is back up</title>`), `${host} up`);
    }
    const flapping = feed.match(/<title>flap\.test /g) ?? [];
    assert.ok(flapping.length <= 3, `${flapping.length} feed entries of the flapping instance`);
  });
});
