// The self-sizing request limit: its rules on their own (fed answers, failures and memory
// readings, no clock), then the real probe on loopback, counting at the servers what it
// really keeps in flight.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { AdaptiveLimit, type RequestOutcome } from "../scripts/lib/concurrency.ts";
import { PROBE_DEFAULTS, type InstanceList, type ProbeSettings } from "../scripts/lib/list.ts";
import { PROBE_NODE_FLAGS, runProbes } from "../scripts/lib/run.ts";
import { fleetResolver, startVirtualHosts, type VirtualHosts } from "../scripts/bench/virtual-hosts.ts";

const MB = 1024 * 1024;
const answer = (ms: number): RequestOutcome => ({ answered: true, ms });
const failure: RequestOutcome = { answered: false };

function limit(memory = () => 100 * MB) {
  return new AdaptiveLimit({ initial: 32, max: 1024, memoryBudget: 320 * MB, memory });
}

/** Feeds one full window of finished requests: `share` of them failed, the rest answered in `ms`. */
function window(target: AdaptiveLimit, { ms = 100, share = 0, waiting = true } = {}): void {
  const size = Math.max(64, target.limit);
  const failures = Math.round(size * share);
  for (let i = 0; i < size; i++) target.record(i < failures ? failure : answer(ms), waiting);
}

describe("the self-sizing limit", () => {
  it("grows while answers keep coming and requests wait for a slot", () => {
    const target = limit();
    const seen = [target.limit];
    for (let i = 0; i < 5; i++) (window(target), seen.push(target.limit));
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
    assert.ok(target.limit > 32 * 1.25 ** 4, `grew to ${target.limit}`);
    assert.deepEqual(target.decisions, ["grow", "grow", "grow", "grow", "grow"]);
  });

  it("doubles at first, up to 512, then grows by a quarter; after a cut, by a quarter only", () => {
    const target = limit();
    const seen = [target.limit];
    for (let i = 0; i < 6; i++) (window(target), seen.push(target.limit));
    assert.deepEqual(seen, [32, 64, 128, 256, 512, 640, 800]);
    const after = limit();
    for (let i = 0; i < 2; i++) window(after);
    const grown = after.limit;
    window(after, { ms: 1000 });
    assert.equal(after.decisions.at(-1), "latency");
    const cut = after.limit;
    // The requests sent before the cut finish first and are not judged.
    for (let i = 0; i < grown; i++) after.record(answer(100), true);
    window(after);
    assert.equal(after.limit, Math.round(cut * 1.25));
  });

  it("does not grow when no request waits: the limit is not what holds the run back", () => {
    const target = limit();
    for (let i = 0; i < 5; i++) window(target, { waiting: false });
    assert.equal(target.limit, 32);
  });

  it("stops at its maximum", () => {
    const target = limit();
    for (let i = 0; i < 40; i++) window(target);
    assert.equal(target.limit, 1024);
  });

  it("backs off when answers slow down, once per round of requests, and never below where it started", () => {
    const target = limit();
    for (let i = 0; i < 8; i++) window(target, { ms: 100 });
    const grown = target.limit;
    window(target, { ms: 450 });
    assert.equal(target.decisions.at(-1), "latency");
    assert.equal(target.limit, Math.round(grown * 0.75));
    // The requests sent before the cut finish first and are not judged against the new limit.
    for (let i = 0; i < grown; i++) target.record(answer(450), true);
    assert.equal(target.limit, Math.round(grown * 0.75));
    for (let i = 0; i < 30; i++) window(target, { ms: 900 });
    assert.equal(target.limit, 32);
  });

  it("backs off when failures rise above their usual share", () => {
    const target = limit();
    for (let i = 0; i < 6; i++) window(target, { share: 0.02 });
    const grown = target.limit;
    window(target, { share: 0.4 });
    assert.equal(target.decisions.at(-1), "failures");
    assert.ok(target.limit < grown);
  });

  it("keeps growing through a steady share of instances that never answer", () => {
    const target = limit();
    for (let i = 0; i < 6; i++) window(target, { share: 0.3 });
    assert.ok(!target.decisions.includes("failures"), target.decisions.join(" "));
    assert.ok(target.limit > 32 * 1.25 ** 5);
  });

  it("cuts at once when this machine runs out of sockets or descriptors", () => {
    const target = limit();
    for (let i = 0; i < 4; i++) window(target);
    const grown = target.limit;
    target.record({ answered: false, local: true }, true);
    assert.equal(target.decisions.at(-1), "local");
    assert.equal(target.limit, Math.round(grown * 0.75));
  });

  it("is bounded by memory: holds near the budget, shrinks above it while memory still rises, keeps its limit when memory is steady", () => {
    let memory = 100 * MB;
    const target = limit(() => memory);
    for (let i = 0; i < 4; i++) window(target);
    const grown = target.limit;
    memory = 290 * MB; // above 85 % of 320 MB
    window(target);
    assert.equal(target.limit, grown);
    memory = 330 * MB;
    window(target);
    assert.equal(target.decisions.at(-1), "memory");
    const shrunk = target.limit;
    assert.ok(shrunk < grown);
    for (let i = 0; i < 6; i++) window(target);
    assert.equal(target.limit, shrunk);
    const since = target.decisions.slice(target.decisions.lastIndexOf("memory") + 1);
    assert.ok(since.length >= 3 && since.every((decision) => decision === "hold"), since.join(" "));
  });

  it("over its memory budget, cuts again only for a real rise: a megabyte's creep does not take it to its floor", () => {
    let memory = 100 * MB;
    const target = limit(() => memory);
    for (let i = 0; i < 6; i++) window(target);
    memory = 340 * MB;
    window(target);
    assert.equal(target.decisions.at(-1), "memory");
    const shrunk = target.limit;
    for (let i = 0; i < shrunk; i++) target.record(answer(100), true); // sent before the cut
    for (let i = 0; i < 5; i++) (memory += MB, window(target));
    assert.equal(target.limit, shrunk, target.decisions.slice(-5).join(" "));
    memory += 20 * MB;
    window(target);
    assert.equal(target.decisions.at(-1), "memory");
    assert.ok(target.limit < shrunk);
  });

  it("after memory cuts, grows back while memory stays level, up to where its first memory cut set it; a cut after growing back lowers that mark", () => {
    let memory = 100 * MB;
    const target = limit(() => memory);
    for (let i = 0; i < 6; i++) window(target);
    const cool = () => { for (let i = 0, sent = target.limit; i < sent; i++) target.record(answer(100), true); }; // sent before the cut
    memory = 340 * MB;
    window(target);
    assert.equal(target.decisions.at(-1), "memory");
    const first = target.limit;
    cool();
    memory = 350 * MB; // still rising: a second cut
    window(target);
    assert.equal(target.decisions.at(-1), "memory");
    assert.ok(target.limit < first);
    cool();
    // Over budget but level: back up by a quarter a window, to the first cut's limit and no further.
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) (window(target), seen.push(target.limit));
    assert.equal(seen.at(-1), first, seen.join(" "));
    assert.ok(target.decisions.includes("regrow"), target.decisions.slice(-6).join(" "));
    assert.deepEqual(target.decisions.slice(-2), ["hold", "hold"], "at the mark it holds");
    // Memory rose again after growing back: the cut lowers the mark, and level memory no longer grows it past that.
    memory = 360 * MB;
    window(target);
    assert.equal(target.decisions.at(-1), "memory");
    const lowered = target.limit;
    cool();
    for (let i = 0; i < 4; i++) window(target);
    assert.equal(target.limit, lowered, target.decisions.slice(-4).join(" "));
  });

  it("grows back only in windows whose memory stayed level: a jump short of a cut holds it", () => {
    let memory = 100 * MB;
    const target = limit(() => memory);
    for (let i = 0; i < 6; i++) window(target);
    memory = 340 * MB;
    window(target);
    memory = 350 * MB;
    for (let i = 0; i < 2; i++) window(target); // a second cut, then its requests sent before it
    memory = 320 * MB; // fell back: the first window reads the fall, the next one is level
    for (let i = 0; i < 2; i++) window(target);
    assert.equal(target.decisions.at(-1), "regrow", target.decisions.slice(-4).join(" "));
    const before = target.limit;
    memory = 345 * MB; // up by more than a step in one window, though still short of a cut
    window(target);
    assert.deepEqual([target.decisions.at(-1), target.limit], ["hold", before]);
    window(target); // level again
    assert.equal(target.decisions.at(-1), "regrow");
    assert.ok(target.limit > before);
  });

  it("reads memory within a window, so a large limit cannot pass its budget for a whole window", () => {
    let memory = 100 * MB;
    const target = limit(() => memory);
    for (let i = 0; i < 6; i++) window(target);
    const grown = target.limit;
    assert.ok(grown >= 512, `grew to ${grown}`);
    memory = 400 * MB;
    for (let i = 0; i < 64; i++) target.record(answer(100), true);
    assert.equal(target.decisions.at(-1), "memory");
    assert.equal(target.limit, Math.round(grown * 0.75));
  });
});

describe("the real probe's requests in flight, counted at the servers", () => {
  const DOMAIN = "concurrency.test";
  const HOSTS = 200;
  let hosts: VirtualHosts;
  let inFlight = 0;
  let peak = 0;
  const perHost = new Map<string, number>();
  let peakPerHost = 0;

  before(async () => {
    hosts = await startVirtualHosts((host, request, response) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      const here = (perHost.get(host) ?? 0) + 1;
      perHost.set(host, here);
      peakPerHost = Math.max(peakPerHost, here);
      const path = new URL(request.url ?? "/", "http://localhost").pathname;
      const body = path === "/api/v2/instance" ? JSON.stringify({ domain: host, title: host, version: "4.3.2" }) : "{}";
      setTimeout(() => {
        inFlight--;
        perHost.set(host, perHost.get(host)! - 1);
        response.writeHead(path === "/api/v2/instance" ? 200 : 404, { "content-type": "application/json" });
        response.end(body);
      }, 15);
    });
  });
  after(() => hosts.close());

  async function probeFleet(probe: Partial<ProbeSettings>) {
    peak = 0;
    peakPerHost = 0;
    const list: InstanceList = {
      title: "concurrency test",
      probe: { ...PROBE_DEFAULTS, ...probe, allowPrivateAddresses: ["127.0.0.1/32"] },
      services: {},
      instances: Array.from({ length: HOSTS }, (_, index) => ({ kind: "mastodon" as const, url: `http://h${index}.${DOMAIN}:${hosts.port}/` })),
    };
    const result = await runProbes({ list, resolve: fleetResolver(DOMAIN) });
    assert.equal(result.entries.filter((entry) => entry.api_online).length, HOSTS);
    return result;
  }

  it("at the default settings, keeps more requests in flight than the old fixed 32, and never more than perHostConcurrency to one origin", async () => {
    // Only concurrency is left to the run; a long timeout keeps a loaded test machine from failing answers.
    const { stats } = await probeFleet({ timeoutMs: 60_000 });
    assert.ok(stats.peakConcurrency > 32, `the limit reached ${stats.peakConcurrency}`);
    assert.ok(peak > 32, `the servers saw at most ${peak} requests at once`);
    assert.ok(peak <= stats.peakConcurrency);
    assert.ok(peakPerHost <= PROBE_DEFAULTS.perHostConcurrency, `one host saw ${peakPerHost} at once`);
  });

  it("keeps to a concurrency the list sets, and to its perHostConcurrency", async () => {
    const { stats } = await probeFleet({ concurrency: 8, perHostConcurrency: 1, timeoutMs: 60_000 });
    assert.equal(stats.peakConcurrency, 8);
    assert.ok(peak <= 8, `the servers saw ${peak} requests at once`);
    assert.ok(peakPerHost <= 1, `one host saw ${peakPerHost} at once`);
  });

  it("`npm run probe` starts Node with the flags the probe is measured with", () => {
    const scripts = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).scripts as Record<string, string>;
    assert.equal(scripts.probe, `node ${PROBE_NODE_FLAGS.join(" ")} scripts/probe.ts`);
  });
});
