// Conformance with the real cobalt API server: upstream's own source, installed once and
// started on loopback in several configurations, probed by the real probe CLI. Every
// published key is checked against what that server said: its `GET /`, its headers and
// its answer to each download test (recorded by a relay that passes them through
// unchanged). Runs when COBALT_UPSTREAM names a cobalt tarball or checkout.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { cdnOf } from "../scripts/lib/cdn.ts";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runScript } from "./support/cli.ts";
import { checkedFrom } from "../scripts/lib/runner.ts";
import { temporaryDirectory, writeJson } from "./support/loopback.ts";
import { assertSeedContract } from "./support/seed-contract.ts";
import { installUpstream, skipReason, startUpstream, upstreamSource, UPSTREAM_GIT, type Exchange, type UpstreamCobalt } from "./support/upstream-cobalt.ts";
import type { CobaltInstance, ServiceResult } from "../scripts/schema-types.ts";

/** The old list's service names where cobalt's differ (ids, friendly names), and one service the release no longer has. */
const SERVICES: Record<string, string> = {
  youtube: "https://www.youtube.com/watch?v=vPwaXytZcgI",
  youtube_music: "https://music.youtube.com/watch?v=5rGTsvZCEdk",
  youtube_shorts: "https://www.youtube.com/shorts/r5FpeOJItbw",
  twitch_clips: "https://clips.twitch.tv/SpineyTenderSharkBIRB",
  odnoklassniki: "https://ok.ru/video/7204071410346",
  bluesky: "https://bsky.app/profile/bsky.app/post/3l3vgf77uco2g",
  tiktok: "https://www.tiktok.com/@fatfatmillycat/video/7195741644585454894",
  twitter: "https://twitter.com/X/status/1697304622749086011",
  vimeo: "https://vimeo.com/288386543",
  soundcloud: "https://soundcloud.com/l2share77/loona-butterfly",
  reddit: "https://www.reddit.com/r/SwordOrSheath/comments/1bkm9bs/",
  instagram: "https://www.instagram.com/p/CmCVWoIr9OH/",
  vine: "https://vine.co/v/hwpXgAhlHD5",
};
const SITE = "https://list.example/";
const PROBE_ORIGIN = new URL(SITE).origin;
const KEY_VARIABLE = "INSTANCE_KEY_CONFORMANCE";
/** Statuses with which cobalt hands out media. */
const MEDIA_STATUSES = new Set(["tunnel", "redirect", "picker", "local-processing"]);
/** What cobalt answers for a link of a service it does not offer: disabled by the operator, or unknown to this release. */
const NOT_OFFERED = new Set(["error.api.service.disabled", "error.api.link.invalid", "error.api.link.unsupported"]);

type Name = "plain" | "turnstile" | "keyed" | "keyedWithoutKey" | "corsElsewhere" | "limited";

describe("conformance with the real cobalt server", { skip: skipReason(), timeout: 600_000 }, () => {
  const servers = {} as Record<Name, UpstreamCobalt>;
  const folder = temporaryDirectory();
  const apiKey = randomUUID();
  let entries: CobaltInstance[];
  let release: string;

  const entryOf = (name: Name) => {
    const entry = entries.find((candidate) => candidate.api_url === servers[name].url);
    assert.ok(entry, `no entry for the ${name} server`);
    return entry;
  };

  before(async () => {
    const started = performance.now();
    const { root, installed, version } = installUpstream(upstreamSource()!);
    release = version;
    const keysFile = join(folder.dir, "keys.json");
    writeJson(keysFile, { [apiKey]: { name: "conformance" } });
    const keys = { API_KEY_URL: `file://${keysFile}`, API_AUTH_REQUIRED: "1" };
    const keysLoaded = "api keys loaded";
    const settings: Record<Name, [Record<string, string>, string?]> = {
      plain: [{}],
      turnstile: [{ TURNSTILE_SITEKEY: "1x00000000000000000000AA", TURNSTILE_SECRET: "1x0000000000000000000000000000000AA", JWT_SECRET: "a-secret-of-at-least-sixteen-characters" }],
      keyed: [keys, keysLoaded],
      keyedWithoutKey: [keys, keysLoaded],
      corsElsewhere: [{ CORS_WILDCARD: "0", CORS_URL: "https://only.example", DISABLED_SERVICES: "youtube,bsky,tiktok" }],
      limited: [{ RATELIMIT_MAX: "4", RATELIMIT_WINDOW: "3" }],
    };
    await Promise.all(Object.entries(settings).map(async ([name, [env, ready]]) => {
      servers[name as Name] = await startUpstream(root, env, ready);
    }));
    const list = join(folder.dir, "list.json");
    writeJson(list, {
      title: "conformance",
      site: SITE,
      probe: { timeoutMs: 15_000, allowPrivateAddresses: ["127.0.0.1/32"] },
      services: SERVICES,
      instances: Object.entries(servers).map(([name, server]) => ({
        kind: "cobalt", api: server.url, ...(name === "keyed" ? { apiKeyEnv: KEY_VARIABLE, trust: "safe" } : {}),
      })),
    });
    const out = join(folder.dir, "instances.json");
    const probe = await runScript("scripts/probe.ts", ["--list", list, "--out", out], { [KEY_VARIABLE]: apiKey });
    assert.equal(probe.code, 0, probe.stderr);
    entries = JSON.parse(readFileSync(out, "utf8"));
    console.log(`# cobalt ${release}: ${installed ? "installed" : "from the cache"}, started in ${Object.keys(settings).length} configurations and probed in ${Math.round(performance.now() - started)} ms`);
  });

  after(async () => {
    await Promise.all(Object.values(servers).map((server) => server.close()));
    folder.remove();
  });

  /** A POST of a test link straight to the server, outside the probe: the server's own word on that link. */
  const ask = async (name: Name, link: string, headers: Record<string, string> = {}) => {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(servers[name].directUrl, {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/json", ...headers },
        body: JSON.stringify({ url: link }),
      });
      const body = (await response.json()) as { status: string; error?: { code: string } };
      if (response.status !== 429 || attempt >= 3) return body;
      // The probe may have used up the window just before: wait for the next one.
      await new Promise((done) => setTimeout(done, (Number(response.headers.get("ratelimit-reset")) || 1) * 1000 + 200));
    }
  };

  /** Whether this release downloads from a link's service at all: what the plain server said to the probe, or says now. */
  const releaseCodes = new Map<string, string>();
  const releaseCode = async (link: string) => {
    if (!releaseCodes.has(link)) {
      const recorded = answerFor(downloadAnswers("plain"), link);
      const body = recorded ? JSON.parse(recorded.body) : await ask("plain", link);
      releaseCodes.set(link, body.error?.code ?? "");
    }
    return releaseCodes.get(link)!;
  };

  /** The server's `GET /`, as a page on the probe's origin would see it. */
  const serverInfo = async (name: Name) => {
    const response = await fetch(servers[name].directUrl, { headers: { origin: PROBE_ORIGIN } });
    const json = (await response.json()) as { cobalt: Record<string, unknown>; git: Record<string, string> };
    return { json, allowOrigin: response.headers.get("access-control-allow-origin"), headers: Object.fromEntries(response.headers) };
  };

  const downloadAnswers = (name: Name) => servers[name].exchanges.filter((exchange) => exchange.method === "POST");
  const answerFor = (exchanges: Exchange[], link: string) => exchanges.find((exchange) => JSON.parse(exchange.requestBody).url === link);

  /** The entry the probe must publish for a server, worked out from that server's own answers. */
  async function expectedEntry(name: Name): Promise<Omit<CobaltInstance, "checked_at" | "data_updated_at" | "response_ms" | "history">> {
    const { json, allowOrigin, headers } = await serverInfo(name);
    const answers = downloadAnswers(name);
    const results: Record<string, ServiceResult> = {};
    let protectionCode: string | null = null;
    for (const [service, link] of Object.entries(SERVICES)) {
      const exchange = answerFor(answers, link);
      if (exchange) {
        const body = JSON.parse(exchange.body) as { status: string; error?: { code: string } };
        const code = body.error?.code ?? null;
        if (code?.startsWith("error.api.auth.")) protectionCode = code;
        results[service] = code?.startsWith("error.api.auth.")
          ? { result: "untested", status: body.status, error: code }
          : { result: MEDIA_STATUSES.has(body.status) ? "pass" : "fail", status: body.status, error: code };
        continue;
      }
      // Not asked by the probe: the server, asked with every credential there is, must refuse the link.
      const credentials: Record<string, string> = name.startsWith("keyed") ? { authorization: `Api-Key ${apiKey}` } : {};
      const code = (await ask(name, link, credentials)).error?.code ?? "";
      if (NOT_OFFERED.has(code)) {
        results[service] = { result: "disabled", status: null, error: null };
      } else if (protectionCode !== null || code.startsWith("error.api.auth.")) {
        // Credentials the probe did not have: whether the service is offered at all, the release itself says.
        const offered = !code.startsWith("error.api.auth.") || !NOT_OFFERED.has(await releaseCode(link));
        results[service] = offered ? { result: "untested", status: null, error: protectionCode ?? code } : { result: "disabled", status: null, error: null };
      } else {
        assert.fail(`${name}: the probe did not test ${service}, yet the server answers ${code || "with media"} for it`);
      }
    }
    const passed = Object.values(results).filter((r) => r.result === "pass").length;
    const tested = Object.values(results).filter((r) => r.result === "pass" || r.result === "fail").length;
    const protection: CobaltInstance["protection"] = [];
    if (typeof json.cobalt.turnstileSitekey === "string") protection.push("turnstile");
    if (protectionCode?.startsWith("error.api.auth.key")) protection.push("api_key");
    if (protectionCode?.startsWith("error.api.auth.jwt") && !protection.includes("turnstile")) protection.push("jwt");
    const host = new URL(servers[name].url).host;
    return {
      kind: "cobalt",
      api: host,
      api_url: servers[name].url,
      frontEnd: "",
      frontend_url: null,
      protocol: "http",
      trust: name === "keyed" ? "safe" : "unknown",
      api_online: true,
      frontend_online: null,
      offline_reason: null,
      stale: false,
      api_generation: "v10",
      version: String(json.cobalt.version),
      commit: json.git.commit!,
      branch: json.git.branch!,
      git_remote: json.git.remote!,
      is_fork: json.git.remote !== "imputnet/cobalt",
      startTime: Number(json.cobalt.startTime),
      name: host,
      cors: allowOrigin === "*" || allowOrigin === PROBE_ORIGIN ? 1 : 0,
      // No CDN stands in front of a server on loopback, and the server names none.
      cdn: cdnOf(headers),
      turnstile: typeof json.cobalt.turnstileSitekey === "string",
      protection,
      services: Object.fromEntries(Object.entries(results).map(([service, r]) => [service, r.result === "pass"])),
      service_results: results,
      services_tested: tested,
      score: tested === 0 ? 0 : (100 * passed) / tested,
      // Listed by its loopback address: that address, which has no IPv6.
      ipv4_addresses: ["127.0.0.1"],
      ipv6_addresses: [],
      answers_ipv6: null,
      // Run by the CLI outside GitHub Actions.
      checked_from: checkedFrom({}),
    };
  }

  for (const name of ["plain", "turnstile", "keyed", "keyedWithoutKey", "corsElsewhere", "limited"] as const) {
    it(`publishes for the ${name} server exactly what that server said`, async () => {
      const { checked_at, data_updated_at, response_ms, history, ...published } = entryOf(name);
      assert.match(checked_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(data_updated_at, checked_at);
      assert.equal(typeof response_ms, "number");
      assert.equal(history?.status, "up");
      assert.deepEqual(published, await expectedEntry(name));
    });
  }

  it("keeps the old list's contract in every entry: each seed key with its type, every listed service a boolean", () => {
    assertSeedContract(entries, Object.keys(SERVICES));
  });

  it("reads the release's version and git metadata from GET /", () => {
    const entry = entryOf("plain");
    assert.equal(entry.version, release);
    assert.deepEqual([entry.commit, entry.branch, entry.git_remote], [UPSTREAM_GIT.commit, UPSTREAM_GIT.branch, UPSTREAM_GIT.remote]);
  });

  it("tests every service the server announces under any of its names, twitch clips and bluesky included", async () => {
    const { json } = await serverInfo("plain");
    assert.ok((json.cobalt.services as string[]).includes("twitch clips"), "this release announces twitch as \"twitch clips\"");
    const entry = entryOf("plain");
    for (const service of ["twitch_clips", "bluesky", "odnoklassniki", "youtube_music", "youtube_shorts"]) {
      assert.notEqual(entry.service_results[service]!.result, "disabled", `${service} is offered by the server`);
      assert.ok(answerFor(downloadAnswers("plain"), SERVICES[service]!), `the probe asked the server to download ${service}`);
    }
    assert.equal(entry.service_results.vine!.result, "disabled");
  });

  it("treats the services an operator disabled by cobalt's ids as disabled under the list's names", () => {
    const entry = entryOf("corsElsewhere");
    for (const service of ["youtube", "youtube_music", "youtube_shorts", "bluesky", "tiktok"]) {
      assert.equal(entry.service_results[service]!.result, "disabled", service);
      assert.equal(entry.services[service], false, service);
    }
    assert.equal(entry.service_results.twitch_clips!.result, "fail");
  });

  it("publishes cors 1 only when a page on another site may call the API", async () => {
    assert.equal((await serverInfo("corsElsewhere")).allowOrigin, "https://only.example");
    assert.equal(entryOf("corsElsewhere").cors, 0);
    assert.equal((await serverInfo("plain")).allowOrigin, "*");
    assert.equal(entryOf("plain").cors, 1);
    assert.ok(servers.plain.exchanges.some((exchange) => exchange.method === "GET" && exchange.requestHeaders.origin === PROBE_ORIGIN), "the probe sends its own Origin");
  });

  it("sends no download test to a Turnstile instance and says why each service is untested", async () => {
    assert.equal(downloadAnswers("turnstile").length, 0);
    assert.equal((await ask("turnstile", SERVICES.twitter!)).error?.code, "error.api.auth.jwt.missing");
    const entry = entryOf("turnstile");
    assert.equal(entry.score, 0);
    assert.equal(entry.services_tested, 0);
    assert.ok(Object.values(entry.service_results).every((r) => r.result === "disabled" || r.error === "error.api.auth.jwt.missing"));
  });

  it("tests a key-protected instance with the key the list names, and stops at the first refusal without it", () => {
    const keyed = downloadAnswers("keyed");
    assert.equal(keyed.length, Object.values(entryOf("keyed").service_results).filter((r) => r.result !== "disabled").length);
    assert.ok(keyed.every((exchange) => exchange.requestHeaders.authorization === `Api-Key ${apiKey}` && !exchange.body.includes("error.api.auth")));
    assert.ok(entryOf("keyed").services_tested > 0);
    const refused = downloadAnswers("keyedWithoutKey");
    assert.equal(refused.length, 1);
    assert.equal(JSON.parse(refused[0]!.body).error.code, "error.api.auth.key.missing");
    assert.deepEqual(entryOf("keyedWithoutKey").protection, ["api_key"]);
  });

  it("paces the download tests by the server's rate-limit headers: every service tested and no 429 wasted", () => {
    const answers = downloadAnswers("limited");
    assert.ok(answers[0]!.headers["ratelimit-limit"] === "4", "the server announces its limit");
    assert.equal(answers.filter((exchange) => exchange.status === 429).length, 0);
    const offered = Object.values(entryOf("limited").service_results).filter((r) => r.result !== "disabled").length;
    assert.equal(answers.length, offered);
    assert.ok(Object.values(entryOf("limited").service_results).every((r) => r.result !== "untested"));
  });

  it("wastes no request on a 429 anywhere", () => {
    for (const [name, server] of Object.entries(servers)) {
      assert.deepEqual(server.exchanges.filter((exchange) => exchange.status === 429).map((exchange) => exchange.path), [], name);
    }
  });
});
