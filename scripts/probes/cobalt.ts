// What a cobalt instance says and what it means: server info (cobalt 10+ or 7), a real
// download test per service, CORS, and how the API is protected.
import type { CobaltListEntry } from "../lib/list.ts";
import { hostOf } from "../lib/list.ts";
import { apiKeyFor } from "../lib/api-key.ts";
import { classify, type Http, type HttpResponse } from "../lib/http.ts";
import { cdnOf, type Cdn } from "../lib/cdn.ts";
import { RateLimitedError } from "../lib/rate-limit.ts";
import type { KindProbe, ProbeContext } from "../lib/probe-kind.ts";
import { pageIdentity } from "../lib/html.ts";
import { boundedNumber, DATE_MS, finite, isRecord, isoSeconds, text } from "../lib/normalise.ts";
import type { CobaltInstance, ServiceResult } from "../schema-types.ts";
import { offers } from "./cobalt-services.ts";

type Context = ProbeContext<CobaltInstance>;
type Protection = CobaltInstance["protection"][number];

const PASSING_STATUSES = new Set(["tunnel", "redirect", "picker", "local-processing", "stream", "success"]);
/** A tunnel that announces less than this is an error page or an empty file, not media. */
const MIN_MEDIA_BYTES = 1000;
const UPSTREAM_REMOTE = "imputnet/cobalt";
/** `startTime` as the schema allows it: epoch milliseconds a JavaScript Date can hold, not before 1970. */
const START_TIME = { minimum: 0, maximum: DATE_MS.maximum };

interface ServerInfo {
  generation: "v10" | "v7";
  version: string | null;
  commit: string | null;
  branch: string | null;
  remote: string | null;
  name: string | null;
  startTime: number | null;
  /** Service names the instance announces; null when it does not say (cobalt 7). */
  services: string[] | null;
  turnstile: boolean;
  cors: 0 | 1;
  /** The CDN in front of the API, from its answer's headers; null when none says so. */
  cdn: Cdn | null;
  ms: number;
}

type InfoResult = { info: ServerInfo } | { offline: string; blocked: boolean };

export const cobalt: KindProbe<CobaltListEntry, CobaltInstance> = {
  kind: "cobalt",
  listedUrl: (entry) => entry.api_url,
  windowBound: true,

  async probe(entry, context) {
    const api = new URL(entry.api);
    const [result, frontendOnline] = await Promise.all([
      serverInfo(api, context),
      entry.frontEnd ? frontendServesCobalt(entry.frontEnd, context.http) : Promise.resolve(null),
    ]);
    if ("offline" in result) {
      return offlineEntry(entry, context, result.blocked ? "blocked" : result.offline, frontendOnline, result.blocked);
    }
    const { info } = result;
    const apiKey = apiKeyFor(entry, context.env, context.list.probe.allowPrivateAddresses);
    const { results, protection } = await testServices(api, info, apiKey, context);
    if (info.turnstile && !protection.includes("turnstile")) protection.unshift("turnstile");
    return {
      ...identity(entry, context),
      api_online: true,
      frontend_online: frontendOnline,
      offline_reason: null,
      data_updated_at: isoSeconds(context.checkedAt),
      stale: false,
      response_ms: info.ms,
      api_generation: info.generation,
      version: info.version ?? "",
      commit: info.commit ?? "",
      branch: info.branch ?? "",
      git_remote: info.remote,
      is_fork: info.remote === null ? null : info.remote.toLowerCase() !== UPSTREAM_REMOTE,
      startTime: info.startTime ?? 0,
      name: entry.name ?? info.name ?? hostOf(entry.api),
      cors: info.cors,
      cdn: info.cdn,
      turnstile: info.turnstile,
      protection,
      ...servicesAndScore(results),
    };
  },

  failed(entry, reason, context) {
    return offlineEntry(entry, context, reason, null, false);
  },
};

/** The keys that come from the list entry alone. */
function identity(entry: CobaltListEntry, context: Context) {
  const api = new URL(entry.api);
  return {
    kind: "cobalt" as const,
    api: hostOf(entry.api),
    api_url: entry.api,
    // The old list's keys are never null: "" says the list names no front end.
    frontEnd: entry.frontEnd ? hostOf(entry.frontEnd) : "",
    frontend_url: entry.frontEnd ?? null,
    protocol: api.protocol === "http:" ? "http" as const : "https" as const,
    trust: entry.trust ?? "unknown",
    checked_at: isoSeconds(context.checkedAt),
  };
}

/** An instance whose API did not answer: the previous descriptive values are kept, marked stale. */
function offlineEntry(entry: CobaltListEntry, context: Context, reason: string, frontendOnline: boolean | null, blocked: boolean): CobaltInstance {
  const previous = context.previous;
  const results: Record<string, ServiceResult> = {};
  for (const service of Object.keys(context.list.services)) {
    results[service] = blocked
      ? { result: "untested", status: null, error: "blocked" }
      : { result: "fail", status: null, error: reason };
  }
  return {
    ...identity(entry, context),
    api_online: false,
    frontend_online: frontendOnline,
    offline_reason: reason,
    data_updated_at: previous?.data_updated_at ?? null,
    stale: previous?.data_updated_at != null,
    response_ms: null,
    api_generation: previous?.api_generation ?? null,
    version: previous?.version ?? "",
    commit: previous?.commit ?? "",
    branch: previous?.branch ?? "",
    git_remote: previous?.git_remote ?? null,
    is_fork: previous?.is_fork ?? null,
    startTime: previous?.startTime ?? 0,
    name: entry.name ?? previous?.name ?? hostOf(entry.api),
    cors: previous?.cors ?? 0,
    cdn: previous?.cdn ?? null,
    turnstile: previous?.turnstile ?? false,
    protection: blocked ? ["challenge"] : previous?.protection ?? [],
    ...servicesAndScore(results),
  };
}

/** cobalt 10+ answers `GET /`; cobalt 7 answers `GET /api/serverInfo`. */
async function serverInfo(api: URL, context: Context): Promise<InfoResult> {
  const origin = corsProbeOrigin(context);
  let first: HttpResponse;
  try {
    first = await context.http.request(api.href, { headers: { accept: "application/json", origin } });
  } catch (error) {
    return { offline: classify(error).code, blocked: false };
  }
  const current = parseCurrent(first, origin);
  if (current) return { info: current };
  if (isChallenge(first)) return { offline: "blocked", blocked: true };
  try {
    const legacy = await context.http.request(new URL("api/serverInfo", withSlash(api)).href, { headers: { accept: "application/json", origin } });
    const info = parseLegacy(legacy, origin);
    if (info) return { info };
    if (isChallenge(legacy)) return { offline: "blocked", blocked: true };
    return { offline: first.status === 200 ? "invalid_response" : `http_${first.status}`, blocked: false };
  } catch (error) {
    return { offline: classify(error).code, blocked: false };
  }
}

function parseCurrent(response: HttpResponse, origin: string): ServerInfo | null {
  const json = jsonOf(response);
  if (response.status !== 200 || !isRecord(json) || !isRecord(json.cobalt)) return null;
  const info = json.cobalt;
  const git = isRecord(json.git) ? json.git : {};
  if (text(info.version) === null) return null;
  return {
    generation: "v10",
    version: text(info.version, 100),
    commit: text(git.commit, 100),
    branch: text(git.branch, 200),
    remote: text(git.remote, 300),
    name: null,
    startTime: boundedNumber(info.startTime, START_TIME),
    services: Array.isArray(info.services) ? info.services.filter((s): s is string => typeof s === "string") : null,
    turnstile: text(info.turnstileSitekey) !== null,
    cors: allowsCrossOrigin(response, origin) ? 1 : 0,
    cdn: cdnOf(response.headers),
    ms: response.ms,
  };
}

function parseLegacy(response: HttpResponse, origin: string): ServerInfo | null {
  const json = jsonOf(response);
  if (response.status !== 200 || !isRecord(json) || text(json.version) === null) return null;
  return {
    generation: "v7",
    version: text(json.version, 100),
    commit: text(json.commit, 100),
    branch: text(json.branch, 200),
    remote: null,
    name: text(json.name, 300),
    startTime: boundedNumber(json.startTime, START_TIME),
    services: null,
    turnstile: false,
    cors: json.cors === 1 || allowsCrossOrigin(response, origin) ? 1 : 0,
    cdn: cdnOf(response.headers),
    ms: response.ms,
  };
}

async function testServices(api: URL, info: ServerInfo, apiKey: string | undefined, context: Context) {
  const results: Record<string, ServiceResult> = {};
  const protection: Protection[] = [];
  const toTest: [string, string][] = [];
  for (const [service, testUrl] of Object.entries(context.list.services)) {
    if (info.services && !offers(info.services, service)) results[service] = { result: "disabled", status: null, error: null };
    else toTest.push([service, testUrl]);
  }
  const untested = (error: string) => {
    // hasOwn, not ??=: a service may be named like an inherited property ("constructor").
    for (const [service] of toTest) if (!Object.hasOwn(results, service)) results[service] = { result: "untested", status: null, error };
  };
  // Without credentials a Turnstile-protected instance only answers "missing token": don't ask.
  if (info.turnstile && !apiKey) {
    untested("error.api.auth.jwt.missing");
    return { results, protection };
  }
  const test = async ([service, testUrl]: [string, string]) => {
    const outcome = await downloadTest(api, info.generation, testUrl, apiKey, context.http);
    results[service] = outcome.result;
    if (outcome.protection && !protection.includes(outcome.protection)) protection.push(outcome.protection);
  };
  // The first answer tells whether the API wants credentials; if so, spare it the rest.
  const [first, ...rest] = toTest;
  if (first) await test(first);
  if (protection.length > 0) untested(results[first![0]]!.error ?? "auth");
  else await Promise.all(rest.map(test));
  // Tests finish in any order; publish them in the list's order so diffs stay small.
  const ordered = Object.fromEntries(Object.keys(context.list.services).map((service) => [service, results[service]!]));
  return { results: ordered, protection };
}

interface TestOutcome {
  result: ServiceResult;
  protection?: Protection;
}

async function downloadTest(api: URL, generation: "v10" | "v7", testUrl: string, apiKey: string | undefined, http: Http): Promise<TestOutcome> {
  const endpoint = generation === "v10" ? api.href : new URL("api/json", withSlash(api)).href;
  const headers: Record<string, string> = { accept: "application/json", "content-type": "application/json" };
  if (apiKey) headers.authorization = `Api-Key ${apiKey}`;
  let response: HttpResponse;
  try {
    // Only redirects that stay on the API's origin: the body and the key go nowhere else.
    response = await http.request(endpoint, { method: "POST", headers, body: JSON.stringify({ url: testUrl }), rateLimitKey: "api", followRedirects: "same-origin" });
  } catch (error) {
    const { code } = classify(error);
    return { result: { result: error instanceof RateLimitedError ? "untested" : "fail", status: null, error: code } };
  }
  if (isChallenge(response)) return { result: { result: "untested", status: null, error: "blocked" }, protection: "challenge" };
  const json = jsonOf(response);
  const status = isRecord(json) ? text(json.status, 50) : null;
  if (response.status === 429 || status === "rate-limit") return { result: { result: "untested", status, error: "rate_limited" } };
  if (response.status === 200 && status !== null && PASSING_STATUSES.has(status)) {
    if (status === "tunnel" || status === "stream") {
      const problem = await tunnelProblem(isRecord(json) ? json.url : null, api.origin, http);
      if (problem) return { result: { result: "fail", status, error: problem } };
    }
    return { result: { result: "pass", status, error: null } };
  }
  const code = errorCode(json) ?? (response.status === 200 ? "invalid_response" : `http_${response.status}`);
  const protection = authProtection(code);
  if (protection) return { result: { result: "untested", status, error: code }, protection };
  return { result: { result: "fail", status, error: code } };
}

/**
 * Confirms a tunnel serves a real file; returns why not, or null. A tunnel on another host
 * is the instance's request, not that host's: it is charged to the API's origin and sent once.
 */
async function tunnelProblem(url: unknown, apiOrigin: string, http: Http): Promise<string | null> {
  const href = text(url, 4096);
  if (href === null || !/^https?:\/\//i.test(href) || !URL.canParse(href)) return "invalid_response";
  try {
    const response = await http.request(href, { method: "HEAD", rateLimitKey: "tunnel", maxBytes: 0, chargedTo: apiOrigin });
    if (response.status < 200 || response.status > 299) return `tunnel_http_${response.status}`;
    const length = finite(response.headers["content-length"]) ?? finite(response.headers["estimated-content-length"]);
    return length !== null && length < MIN_MEDIA_BYTES ? "empty_file" : null;
  } catch (error) {
    return `tunnel_${classify(error).code}`;
  }
}

/** cobalt 10 answers `{"status":"error","error":{"code":…}}`; cobalt 7 `{"status":"error","text":…}`. */
function errorCode(json: unknown): string | null {
  if (!isRecord(json)) return null;
  if (isRecord(json.error)) return text(json.error.code, 200);
  return json.status === "error" ? text(json.text, 200) : null;
}

function authProtection(code: string): Protection | undefined {
  if (!code.startsWith("error.api.auth.")) return undefined;
  if (code.startsWith("error.api.auth.jwt")) return "jwt";
  if (code.startsWith("error.api.auth.key")) return "api_key";
  return "auth";
}

/** A bot-protection page in front of the API: HTML with 403/429/503, or Cloudflare's own header. */
function isChallenge(response: HttpResponse): boolean {
  if (response.headers["cf-mitigated"] === "challenge") return true;
  return [403, 503].includes(response.status) && /text\/html/i.test(response.headers["content-type"] ?? "");
}

/**
 * Whether any web page may call the API: it allows every origin, or it echoes the probe's
 * own. An allow-origin naming one other site (cobalt's CORS_URL) lets that site alone in.
 */
function allowsCrossOrigin(response: HttpResponse, origin: string): boolean {
  const allowed = response.headers["access-control-allow-origin"]?.trim();
  return allowed === "*" || allowed === origin;
}

function corsProbeOrigin(context: Context): string {
  return context.list.site ? new URL(context.list.site).origin : "https://example.org";
}

async function frontendServesCobalt(url: string, http: Http): Promise<boolean> {
  try {
    const response = await http.request(url, { headers: { accept: "text/html" }, readAtMost: 64 * 1024, maxBytes: 1024 * 1024 });
    if (response.status !== 200) return false;
    const { applicationName, title } = pageIdentity(response.body.toString("utf8"));
    return applicationName?.toLowerCase().split(" ")[0] === "cobalt" || title?.toLowerCase() === "cobalt";
  } catch {
    return false;
  }
}

function jsonOf(response: HttpResponse): unknown {
  try {
    return JSON.parse(response.body.toString("utf8"));
  } catch {
    return undefined;
  }
}

function withSlash(url: URL): URL {
  return url.pathname.endsWith("/") ? url : new URL(`${url.href}/`);
}

/**
 * The old list's `services` and `score` from the detailed results: every service is a
 * boolean (true only when its test passed), and the score counts the services that were
 * tested (passed or failed). What a boolean cannot say stays in `service_results`.
 */
function servicesAndScore(results: Record<string, ServiceResult>) {
  const services: Record<string, boolean> = {};
  let passed = 0;
  let tested = 0;
  for (const [service, { result }] of Object.entries(results)) {
    services[service] = result === "pass";
    if (result === "pass" || result === "fail") tested++;
    if (result === "pass") passed++;
  }
  return { services, service_results: results, services_tested: tested, score: tested === 0 ? 0 : (100 * passed) / tested };
}

