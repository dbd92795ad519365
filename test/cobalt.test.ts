// The real probe CLI against loopback servers that speak the cobalt API as documented.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fakeStartTime, startFakeCobalt, type FakeCobalt } from "./support/cobalt-server.ts";
import { startServer, temporaryDirectory, writeJson, type Loopback } from "./support/loopback.ts";
import { runScript } from "./support/cli.ts";
import { checkedFrom } from "../scripts/lib/runner.ts";
import { assertSeedContract } from "./support/seed-contract.ts";
import { announcedNames, offers } from "../scripts/probes/cobalt-services.ts";
import type { CobaltInstance } from "../scripts/schema-types.ts";

const SERVICES = {
  youtube: "https://www.youtube.com/watch?v=vPwaXytZcgI",
  youtube_shorts: "https://www.youtube.com/shorts/r5FpeOJItbw",
  tiktok: "https://www.tiktok.com/@fatfatmillycat/video/7195741644585454894",
  instagram: "https://www.instagram.com/p/CmCVWoIr9OH/",
  twitter: "https://twitter.com/X/status/1697304622749086011",
  soundcloud: "https://soundcloud.com/l2share77/loona-butterfly",
  vimeo: "https://vimeo.com/288386543",
};

const ALL_WORK = Object.fromEntries(Object.values(SERVICES).map((url) => [url, { status: "redirect" as const }]));

describe("probing cobalt instances", () => {
  const servers: Record<string, FakeCobalt> = {};
  let down: Loopback;
  let frontEnd: Loopback;
  let entries: CobaltInstance[];
  let stdout: string;
  const folder = temporaryDirectory();

  const byApi = (server: Loopback) => {
    const entry = entries.find((e) => e.api_url === server.url);
    assert.ok(entry, `no entry for ${server.url}`);
    return entry;
  };

  before(async () => {
    servers.current = await startFakeCobalt({
      cors: true,
      offered: ["youtube", "tiktok", "instagram", "twitter", "soundcloud", "bluesky"],
      outcomes: {
        [SERVICES.youtube]: { status: "tunnel", bytes: 2_000_000 },
        [SERVICES.youtube_shorts]: { status: "tunnel", bytes: 0 },
        [SERVICES.tiktok]: { status: "picker" },
        [SERVICES.instagram]: { error: "error.api.fetch.empty" },
        [SERVICES.twitter]: { status: "redirect" },
        [SERVICES.soundcloud]: { error: "error.api.youtube.login" },
      },
    });
    // Behind CDNs that say so: CloudFront in Via, Cloudflare by its cf-ray.
    servers.legacy = await startFakeCobalt({ generation: "v7", cors: true, outcomes: ALL_WORK, headers: { via: "1.1 0123abcd.cloudfront.net (CloudFront)" } });
    servers.turnstile = await startFakeCobalt({ turnstile: true, headers: { "cf-ray": "8f0e1d2c3b4a5968-FRA", server: "cloudflare" }, offered: Object.keys(SERVICES).filter((s) => !s.includes("_")), outcomes: ALL_WORK });
    servers.keyed = await startFakeCobalt({ apiKey: "secret-key", offered: ["youtube", "tiktok", "instagram", "twitter", "soundcloud", "vimeo"], outcomes: ALL_WORK });
    servers.keyedWithKey = await startFakeCobalt({ apiKey: "secret-key", offered: ["youtube", "tiktok", "instagram", "twitter", "soundcloud", "vimeo"], outcomes: ALL_WORK });
    servers.limited = await startFakeCobalt({ rateLimit: { max: 3, windowMs: 1500 }, offered: ["youtube", "tiktok", "instagram", "twitter", "soundcloud", "vimeo"], outcomes: ALL_WORK, remote: "someone/cobalt-fork" });
    servers.challenge = await startFakeCobalt({ challenge: true });
    servers.corsElsewhere = await startFakeCobalt({ cors: "https://only.example", offered: ["youtube", "twitch clips"], outcomes: ALL_WORK });
    servers.corsReflected = await startFakeCobalt({ cors: "reflect", generation: "v7", outcomes: ALL_WORK });
    down = await startServer(() => {});
    await down.close();
    frontEnd = await startServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end('<!doctype html><html><head><meta name="application-name" content="cobalt"><title>cobalt</title></head></html>');
    });

    writeJson(join(folder.dir, "list.json"), {
      title: "test list",
      site: "https://list.example/",
      probe: { timeoutMs: 30_000, allowPrivateAddresses: ["127.0.0.1/32"] },
      services: SERVICES,
      instances: [
        { kind: "cobalt", api: servers.current!.url, frontEnd: frontEnd.url, trust: "safe" },
        { kind: "cobalt", api: servers.legacy!.url, frontEnd: down.url },
        { kind: "cobalt", api: servers.turnstile!.url },
        { kind: "cobalt", api: servers.keyed!.url },
        { kind: "cobalt", api: servers.keyedWithKey!.url, apiKeyEnv: "INSTANCE_KEY_TEST", name: "keyed" },
        { kind: "cobalt", api: servers.limited!.url, trust: "not_safe" },
        { kind: "cobalt", api: servers.challenge!.url },
        { kind: "cobalt", api: down.url },
        { kind: "cobalt", api: servers.corsElsewhere!.url },
        { kind: "cobalt", api: servers.corsReflected!.url },
      ],
    });
    const result = await runScript("scripts/probe.ts", ["--list", join(folder.dir, "list.json"), "--out", join(folder.dir, "instances.json")], { INSTANCE_KEY_TEST: "secret-key" });
    assert.equal(result.code, 0, result.stderr);
    stdout = result.stdout;
    entries = JSON.parse(readFileSync(join(folder.dir, "instances.json"), "utf8"));
  });

  after(async () => {
    await Promise.all([...Object.values(servers), frontEnd].map((server) => server.close()));
    folder.remove();
  });

  it("writes one entry per listed instance, in the list's order", () => {
    assert.deepEqual(entries.map((e) => e.api_url), [
      servers.current!.url, servers.legacy!.url, servers.turnstile!.url, servers.keyed!.url,
      servers.keyedWithKey!.url, servers.limited!.url, servers.challenge!.url, down.url, servers.corsElsewhere!.url, servers.corsReflected!.url,
    ]);
  });

  it("describes a cobalt 10 instance completely, from its server info and one test per service", () => {
    const entry = byApi(servers.current!);
    const host = new URL(servers.current!.url).host;
    assert.match(entry.checked_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(typeof entry.response_ms, "number");
    const { history, ...latest } = entry; // history has its own suite: test/history.test.ts
    assert.equal(history?.status, "up");
    assert.deepEqual({ ...latest, checked_at: "T", data_updated_at: "T", response_ms: 0 }, {
      kind: "cobalt",
      api: host,
      api_url: servers.current!.url,
      frontEnd: new URL(frontEnd.url).host,
      frontend_url: frontEnd.url,
      protocol: "http",
      trust: "safe",
      checked_at: "T",
      api_online: true,
      frontend_online: true,
      offline_reason: null,
      data_updated_at: "T",
      stale: false,
      response_ms: 0,
      api_generation: "v10",
      version: "10.9.3",
      commit: "a1b2c3d",
      branch: "main",
      git_remote: "imputnet/cobalt",
      is_fork: false,
      startTime: fakeStartTime(Number(new URL(servers.current!.url).port)),
      name: host,
      cors: 1,
      cdn: null,
      ipv4_addresses: ["127.0.0.1"],
      ipv6_addresses: [],
      answers_ipv6: null,
      checked_from: checkedFrom({}),
      turnstile: false,
      protection: [],
      services: { youtube: true, youtube_shorts: false, tiktok: true, instagram: false, twitter: true, soundcloud: false, vimeo: false },
      service_results: {
        youtube: { result: "pass", status: "tunnel", error: null },
        youtube_shorts: { result: "fail", status: "tunnel", error: "empty_file" },
        tiktok: { result: "pass", status: "picker", error: null },
        instagram: { result: "fail", status: "error", error: "error.api.fetch.empty" },
        twitter: { result: "pass", status: "redirect", error: null },
        soundcloud: { result: "fail", status: "error", error: "error.api.youtube.login" },
        vimeo: { result: "disabled", status: null, error: null },
      },
      services_tested: 6,
      score: 50,
    });
  });

  it("sends exactly the documented request body and no request for a disabled service", () => {
    const posted = servers.current!.posts().map((p) => p.url).sort();
    assert.deepEqual(posted, Object.values(SERVICES).filter((url) => url !== SERVICES.vimeo).sort());
    const post = servers.current!.requests.find((r) => r.method === "POST")!;
    assert.equal(post.headers.accept, "application/json");
    assert.equal(post.headers["content-type"], "application/json");
    assert.deepEqual(Object.keys(JSON.parse(post.body)), ["url"]);
    assert.match(String(post.headers["user-agent"]), /^test-list\/\d+\.\d+\.\d+ \(\+https:\/\/list\.example\/\)$/);
  });

  it("reads a cobalt 7 instance from /api/serverInfo and tests it through /api/json", () => {
    const entry = byApi(servers.legacy!);
    assert.equal(entry.api_generation, "v7");
    assert.equal(entry.version, "7.15");
    assert.equal(entry.name, "kityune");
    assert.equal(entry.branch, "current");
    assert.equal(entry.git_remote, null);
    assert.equal(entry.is_fork, null);
    assert.equal(entry.cors, 1);
    assert.equal(entry.score, 100);
    assert.equal(entry.frontend_online, false);
    assert.equal(Object.keys(entry.services).length, Object.keys(SERVICES).length);
    assert.ok(servers.legacy!.requests.some((r) => r.method === "POST" && r.path === "/api/json"));
  });

  it("keeps the old list's contract in every entry, protected, blocked and down ones included", () => {
    assertSeedContract(entries, Object.keys(SERVICES));
    const down = byApi(servers.challenge!);
    assert.deepEqual([down.version, down.commit, down.branch, down.startTime, down.frontEnd], ["", "", "", 0, ""]);
  });

  it("records a Turnstile-protected instance as protected, with untested services scored over none, and sends it no download", () => {
    const entry = byApi(servers.turnstile!);
    assert.equal(entry.api_online, true);
    assert.equal(entry.turnstile, true);
    assert.deepEqual(entry.protection, ["turnstile"]);
    assert.equal(entry.score, 0);
    assert.equal(entry.services_tested, 0);
    assert.ok(Object.values(entry.services).every((value) => value === false));
    assert.ok(Object.values(entry.service_results).every((r) => r.result === "untested" || r.result === "disabled"));
    assert.equal(servers.turnstile!.posts().length, 0);
  });

  it("stops at the first answer that asks for an API key, and records the protection", () => {
    const entry = byApi(servers.keyed!);
    assert.deepEqual(entry.protection, ["api_key"]);
    assert.equal(entry.score, 0);
    assert.equal(entry.services_tested, 0);
    assert.ok(Object.values(entry.service_results).every((r) => r.result === "untested" && r.error === "error.api.auth.key.missing"));
    assert.equal(servers.keyed!.posts().length, 1);
  });

  it("sends the API key named by apiKeyEnv from the environment", () => {
    const entry = byApi(servers.keyedWithKey!);
    assert.equal(entry.name, "keyed");
    assert.equal(entry.score, 100);
    assert.deepEqual(entry.protection, []);
    assert.ok(servers.keyedWithKey!.requests.filter((r) => r.method === "POST").every((r) => r.headers.authorization === "Api-Key secret-key"));
  });

  it("paces tests by the rate-limit headers, so a limit smaller than the services fails none", () => {
    const entry = byApi(servers.limited!);
    assert.equal(entry.score, 100);
    assert.ok(Object.values(entry.service_results).every((r) => r.result === "pass"));
    assert.ok(servers.limited!.tooManyRequests() <= 1, `${servers.limited!.tooManyRequests()} answers were 429`);
    assert.equal(entry.trust, "not_safe");
    assert.equal(entry.is_fork, true);
    assert.equal(entry.git_remote, "someone/cobalt-fork");
  });

  it("tells a challenge page in front of the API (blocked) from an instance that is down", () => {
    const blocked = byApi(servers.challenge!);
    assert.equal(blocked.api_online, false);
    assert.equal(blocked.offline_reason, "blocked");
    assert.deepEqual(blocked.protection, ["challenge"]);
    assert.equal(blocked.score, 0);
    assert.ok(Object.values(blocked.service_results).every((r) => r.result === "untested" && r.error === "blocked"));

    const offline = byApi(down);
    assert.equal(offline.api_online, false);
    assert.equal(offline.offline_reason, "connection_refused");
    assert.equal(offline.score, 0);
    assert.equal(offline.stale, false);
    assert.equal(offline.data_updated_at, null);
    assert.ok(Object.values(offline.services).every((value) => value === false));
  });

  it("counts CORS only when any page may call the API: * or the probe's own origin echoed, not another site", () => {
    assert.equal(byApi(servers.corsElsewhere!).cors, 0);
    assert.equal(byApi(servers.corsReflected!).cors, 1);
    assert.equal(byApi(servers.current!).cors, 1);
    assert.equal(byApi(servers.turnstile!).cors, 0);
    assert.ok(servers.corsReflected!.requests.filter((r) => r.method === "GET").every((r) => r.headers.origin === "https://list.example"));
  });

  it("names the CDN in front of an API from the headers of its answer, and none when no header names one", () => {
    assert.deepEqual([servers.current, servers.legacy, servers.turnstile].map((server) => byApi(server!).cdn), [null, "cloudfront", "cloudflare"]);
  });

  it("tests a service announced by its friendly name", () => {
    const entry = byApi(servers.corsElsewhere!);
    assert.equal(entry.service_results.youtube_shorts!.result, "pass");
    assert.equal(entry.service_results.tiktok!.result, "disabled");
  });

  it("prints a summary table", () => {
    assert.match(stdout, /instance\s+kind\s+status\s+score\s+version/);
    assert.match(stdout, /8 of 10 online/);
  });
});

describe("a run after an instance went down", () => {
  it("keeps the instance's last known values, marked stale with their date", async () => {
    const folder = temporaryDirectory();
    const server = await startFakeCobalt({ outcomes: ALL_WORK });
    const list = join(folder.dir, "list.json");
    const out = join(folder.dir, "instances.json");
    try {
      writeJson(list, { title: "t", probe: { timeoutMs: 30_000, allowPrivateAddresses: ["127.0.0.1/32"] }, services: { youtube: SERVICES.youtube }, instances: [{ kind: "cobalt", api: server.url }] });
      assert.equal((await runScript("scripts/probe.ts", ["--list", list, "--out", out])).code, 0);
      const first: CobaltInstance = JSON.parse(readFileSync(out, "utf8"))[0];
      await server.close();
      assert.equal((await runScript("scripts/probe.ts", ["--list", list, "--out", out])).code, 0);
      const second: CobaltInstance = JSON.parse(readFileSync(out, "utf8"))[0];
      assert.equal(second.api_online, false);
      assert.equal(second.stale, true);
      assert.equal(second.data_updated_at, first.data_updated_at);
      assert.equal(second.version, "10.9.3");
      assert.equal(second.commit, first.commit);
    } finally {
      await server.close();
      folder.remove();
    }
  });
});

describe("a bad list", () => {
  it("is refused before any request, with the file, line, entry and fix, and nothing is written", async () => {
    const folder = temporaryDirectory();
    const server = await startFakeCobalt();
    try {
      const list = join(folder.dir, "list.json");
      const out = join(folder.dir, "instances.json");
      writeJson(list, { title: "t", probe: { allowPrivateAddresses: ["127.0.0.1/32"] }, instances: [{ kind: "cobalt", api: server.url }, { kind: "cobalt", api: "ftp://example.com" }] });
      const result = await runScript("scripts/probe.ts", ["--list", list, "--out", out]);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, new RegExp(`${list.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+ /instances/1/api: must be an http:// or https:// URL`));
      assert.equal(existsSync(out), false);
      assert.equal(server.requests.length, 0);
    } finally {
      await server.close();
      folder.remove();
    }
  });
});

describe("the names cobalt announces its services by", () => {
  it("match a list's service under every name a release has used for it", () => {
    assert.ok(offers(["twitch clips"], "twitch_clips"), "cobalt 11.0.3 and later");
    assert.ok(offers(["twitch"], "twitch_clips"), "cobalt 10 to 11.0.2");
    assert.ok(offers(["bluesky"], "bluesky") && offers(["bluesky"], "bsky") && offers(["bsky"], "bluesky"));
    assert.ok(offers(["ok"], "odnoklassniki") && offers(["ok"], "ok"));
    assert.ok(offers(["youtube"], "youtube_music") && offers(["youtube"], "youtube_shorts"));
    assert.ok(offers(["Twitch Clips"], "twitch_clips"));
    assert.equal(offers(["youtube", "twitch clips"], "tiktok"), false);
    assert.equal(offers(["twitch clips"], "constructor"), false);
    assert.deepEqual(announcedNames("twitch_clips"), ["twitch_clips", "twitch"]);
  });
});
