// The benchmark's fleets at a tiny size: the real probe must get every answer right
// against them. Correctness only; `npm run bench` measures the time.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runCobaltFleet } from "../scripts/bench/cobalt-fleet.ts";
import { runMastodonFleet } from "../scripts/bench/mastodon-fleet.ts";

describe("the cobalt benchmark fleet", () => {
  it("is probed with every service result matching the fleet, and at most one 429 per instance", { timeout: 180_000 }, async () => {
    // 20 instances hold one of each kind that hangs, refuses or wants a key; more tests
    // than one window allows make each healthy instance wait for a second window.
    const figures = await runCobaltFleet({ instances: 20, services: 8, maxPosts: 5, windowMs: 1_500, timeoutMs: 10_000, latencyMs: [5, 30] });
    assert.deepEqual(figures.examples, []);
    assert.equal(figures.allMatch, true);
    assert.equal(figures.rateLimitedResults, 0);
    assert.ok(figures.maxTooManyPerInstance <= 1, `an instance got ${figures.maxTooManyPerInstance} 429s`);
  });
});

describe("the Mastodon benchmark fleet", () => {
  it("is probed with every server's state matching the fleet", { timeout: 180_000 }, async () => {
    const figures = await runMastodonFleet({ servers: 40, hanging: 0.1, latencyMs: [5, 30], probe: { timeoutMs: 10_000 } });
    assert.deepEqual(figures.examples, []);
    assert.equal(figures.allMatch, true);
  });
});
