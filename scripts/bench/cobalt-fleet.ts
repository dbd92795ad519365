// A simulated fleet of cobalt instances on loopback, probed by the real probe: each host
// answers like cobalt 10 (latency 40–300 ms, 20 POSTs per fixed 60 s window per client
// with RateLimit-* headers, tunnels that answer HEAD with a size), and some hang, refuse
// connections or want an API key. The fleet knows the right answer for every service.
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { PROBE_DEFAULTS, type InstanceList } from "../lib/list.ts";
import { runProbes, type Instance } from "../lib/run.ts";
import type { CobaltInstance } from "../schema-types.ts";
import { fleetResolver, seeded, startVirtualHosts } from "./virtual-hosts.ts";

export interface CobaltFleetOptions {
  instances: number;
  /** cobalt's rate-limit window (RATELIMIT_WINDOW, 60 s by default). */
  windowMs: number;
  /** POSTs allowed per window (RATELIMIT_MAX, 20 by default). */
  maxPosts?: number;
  services?: number;
  /** The list's probe timeout: how long a hanging instance costs. */
  timeoutMs?: number;
  latencyMs?: [number, number];
}

export interface CobaltFleetFigures {
  instances: number;
  services: number;
  wallMs: number;
  /** What the fleet itself imposes: one rate-limit window plus a few round trips. */
  lowerBoundMs: number;
  ratio: number;
  requests: number;
  /** The most requests the run allowed in flight at once. */
  peakConcurrency: number;
  tooManyRequests: number;
  maxTooManyPerInstance: number;
  /** Service results that differ from the fleet's truth, and how many of those were rate limiting. */
  mismatches: number;
  rateLimitedResults: number;
  allMatch: boolean;
  /** Examples of mismatches, for a human to read. */
  examples: string[];
}

type Behaviour = "healthy" | "hangs" | "refuses" | "api_key";
type Outcome = { kind: "tunnel"; bytes: number } | { kind: "redirect" } | { kind: "error"; code: string };
interface Truth { result: "pass" | "fail" | "disabled" | "untested"; error: string | null }

/** cobalt ids of the list's test names that differ (as in the probe's own table). */
const SERVICE_IDS: Record<string, string> = { youtube_music: "youtube", youtube_shorts: "youtube", twitch_clips: "twitch", odnoklassniki: "ok" };
const DOMAIN = "cobalt.test";

function testLinks(count: number): Record<string, string> {
  const list = JSON.parse(readFileSync(new URL("../../data/list.json", import.meta.url), "utf8")) as { services: Record<string, string> };
  const entries = Object.entries(list.services);
  // Pad with made-up services if the real list ever has fewer than asked for.
  for (let i = entries.length; i < count; i++) entries.push([`service${i}`, `https://media.example/service${i}/clip`]);
  return Object.fromEntries(entries.slice(0, count));
}

/** Everything about one simulated instance, derived from its index alone. */
function describe(index: number, services: Record<string, string>) {
  const random = seeded(`cobalt ${index}`);
  const behaviour: Behaviour = index % 20 === 7 ? "hangs" : index % 20 === 13 ? "refuses" : index % 20 === 17 ? "api_key" : "healthy";
  const disabled = new Set<string>();
  const outcomes = new Map<string, Outcome>();
  for (const [service, link] of Object.entries(services)) {
    const id = SERVICE_IDS[service] ?? service;
    const roll = random();
    if (roll < 0.05 && !Object.values(SERVICE_IDS).includes(id)) disabled.add(id);
    else if (roll < 0.70) outcomes.set(link, { kind: "tunnel", bytes: 10_000 + Math.floor(random() * 1e6) });
    else if (roll < 0.80) outcomes.set(link, { kind: "redirect" });
    else if (roll < 0.85) outcomes.set(link, { kind: "tunnel", bytes: 0 });
    else if (roll < 0.95) outcomes.set(link, { kind: "error", code: "error.api.fetch.fail" });
    else outcomes.set(link, { kind: "error", code: "error.api.content.video.unavailable" });
  }
  // Each its own server: a start time of its own (a shared one with the commit would make them one backend).
  return { host: `c${index}.${DOMAIN}`, behaviour, disabled, outcomes, startTime: 1724088311229 + index };
}

function truthOf(fleetEntry: ReturnType<typeof describe>, services: Record<string, string>): Record<string, Truth> {
  const truth: Record<string, Truth> = {};
  for (const [service, link] of Object.entries(services)) {
    const { behaviour } = fleetEntry;
    if (behaviour === "hangs") truth[service] = { result: "fail", error: "timeout" };
    else if (behaviour === "refuses") truth[service] = { result: "fail", error: "connection_refused" };
    else if (fleetEntry.disabled.has(SERVICE_IDS[service] ?? service)) truth[service] = { result: "disabled", error: null };
    else if (behaviour === "api_key") truth[service] = { result: "untested", error: "error.api.auth.key.missing" };
    else {
      const outcome = fleetEntry.outcomes.get(link)!;
      truth[service] = outcome.kind === "error" ? { result: "fail", error: outcome.code }
        : outcome.kind === "tunnel" && outcome.bytes < 1000 ? { result: "fail", error: "empty_file" }
        : { result: "pass", error: null };
    }
  }
  return truth;
}

interface HostState { windowStart: number; used: number; tooMany: number; random: () => number }

/** The fleet, started: its list (for the probe), the resolver that finds its hosts, and what it knows. */
export interface CobaltFleet {
  list: InstanceList;
  resolve: ReturnType<typeof fleetResolver>;
  close(): Promise<void>;
  fleet: ReturnType<typeof describe>[];
  services: Record<string, string>;
  states: Map<string, HostState>;
}

/** Host names of the fleet end in this domain (the probe needs `resolve`, or a DNS that knows them). */
export const COBALT_FLEET_DOMAIN = DOMAIN;

export async function startCobaltFleet(options: CobaltFleetOptions): Promise<CobaltFleet> {
  const maxPosts = options.maxPosts ?? 20;
  const [minLatency, maxLatency] = options.latencyMs ?? [40, 300];
  const services = testLinks(options.services ?? 22);
  const fleet = Array.from({ length: options.instances }, (_, index) => describe(index, services));
  const byHost = new Map(fleet.map((entry) => [entry.host, entry]));
  const states = new Map<string, HostState>();
  const allIds = [...new Set(Object.keys(services).map((service) => SERVICE_IDS[service] ?? service))];

  const hosts = await startVirtualHosts((host, request, response, body) => {
    const entry = byHost.get(host);
    if (!entry) return json(response, 404, { status: "error", error: { code: "error.api.unknown_host" } });
    if (entry.behaviour === "hangs") return; // accepts, reads, never answers
    let state = states.get(host);
    if (!state) states.set(host, (state = { windowStart: 0, used: 0, tooMany: 0, random: seeded(`latency ${host}`) }));
    const latency = minLatency + state.random() * (maxLatency - minLatency);
    // Like express-rate-limit: the request is counted when it arrives, answered after the work.
    const answer = answerFor(entry, state, request, body, host);
    setTimeout(() => json(response, answer.status, answer.body, answer.headers), latency);
  });

  function answerFor(entry: ReturnType<typeof describe>, state: HostState, request: IncomingMessage, body: string, host: string): { status: number; headers: Record<string, string>; body: unknown } {
    const url = new URL(request.url ?? "/", "http://localhost");
    const origin = `http://${host}:${hosts.port}`;
    if (url.pathname === "/tunnel") {
      return { status: 200, body: null, headers: { "content-type": "video/mp4", "content-length": url.searchParams.get("bytes") ?? "0" } };
    }
    if (request.method === "GET" && url.pathname === "/") {
      return { status: 200, headers: {}, body: {
        cobalt: { version: "10.9.3", url: `${origin}/`, startTime: String(entry.startTime), durationLimit: 10800, services: allIds.filter((id) => !entry.disabled.has(id)) },
        git: { commit: "a1b2c3d", branch: "main", remote: "imputnet/cobalt" },
      } };
    }
    if (request.method !== "POST" || url.pathname !== "/") return { status: 404, headers: {}, body: { status: "error", error: { code: "error.api.unknown_route" } } };
    const now = Date.now();
    if (now - state.windowStart >= options.windowMs) {
      state.windowStart = now;
      state.used = 0;
    }
    state.used++;
    const reset = String(Math.ceil((state.windowStart + options.windowMs - now) / 1000));
    const headers: Record<string, string> = { "ratelimit-limit": String(maxPosts), "ratelimit-remaining": String(Math.max(0, maxPosts - state.used)), "ratelimit-reset": reset };
    if (state.used > maxPosts) {
      state.tooMany++;
      return { status: 429, headers: { ...headers, "retry-after": reset }, body: { status: "error", error: { code: "error.api.rate_exceeded", context: { limit: options.windowMs / 1000 } } } };
    }
    if (entry.behaviour === "api_key") return { status: 401, headers, body: { status: "error", error: { code: "error.api.auth.key.missing" } } };
    let link: unknown;
    try {
      link = (JSON.parse(body) as { url?: unknown }).url;
    } catch {
      return { status: 400, headers, body: { status: "error", error: { code: "error.api.invalid_body" } } };
    }
    const outcome = entry.outcomes.get(String(link));
    if (!outcome) return { status: 400, headers, body: { status: "error", error: { code: "error.api.link.unsupported" } } };
    if (outcome.kind === "error") return { status: 400, headers, body: { status: "error", error: { code: outcome.code } } };
    if (outcome.kind === "redirect") return { status: 200, headers, body: { status: "redirect", url: "https://media.example/video.mp4", filename: "video.mp4" } };
    return { status: 200, headers, body: { status: "tunnel", url: `${origin}/tunnel?bytes=${outcome.bytes}`, filename: "video.mp4" } };
  }

  const list: InstanceList = {
    title: "cobalt fleet",
    probe: { ...PROBE_DEFAULTS, allowPrivateAddresses: ["127.0.0.1/32"], ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) },
    services,
    instances: fleet.map((entry) => ({ kind: "cobalt" as const, api: `http://${entry.host}:${entry.behaviour === "refuses" ? hosts.refusedPort : hosts.port}/` })),
  };
  return { list, resolve: fleetResolver(DOMAIN), close: () => hosts.close(), fleet, services, states };
}

export async function runCobaltFleet(options: CobaltFleetOptions): Promise<CobaltFleetFigures> {
  const maxPosts = options.maxPosts ?? 20;
  const [, maxLatency] = options.latencyMs ?? [40, 300];
  const { list, resolve, close, fleet, services, states } = await startCobaltFleet(options);
  try {
    const { entries, stats } = await runProbes({ list, resolve });
    const comparison = compare(entries, fleet, services);
    // A healthy instance with more tests than one window allows must wait out the window
    // from its first POST; before that come its `GET /`, after it one more POST and a HEAD.
    const needsSecondWindow = fleet.some((entry) => entry.behaviour === "healthy" && entry.outcomes.size > maxPosts);
    const lowerBoundMs = Math.max(needsSecondWindow ? options.windowMs + 3 * maxLatency : 3 * maxLatency, list.probe.timeoutMs);
    return {
      instances: options.instances,
      services: Object.keys(services).length,
      wallMs: stats.wallMs,
      lowerBoundMs,
      ratio: Math.round((stats.wallMs / lowerBoundMs) * 1000) / 1000,
      requests: stats.requests,
      peakConcurrency: stats.peakConcurrency,
      tooManyRequests: [...states.values()].reduce((sum, state) => sum + state.tooMany, 0),
      maxTooManyPerInstance: Math.max(0, ...[...states.values()].map((state) => state.tooMany)),
      ...comparison,
    };
  } finally {
    await close();
  }
}

function compare(entries: Instance[], fleet: ReturnType<typeof describe>[], services: Record<string, string>) {
  let mismatches = 0;
  let rateLimitedResults = 0;
  const examples: string[] = [];
  entries.forEach((output, index) => {
    const truth = truthOf(fleet[index]!, services);
    const results = (output as CobaltInstance).service_results ?? {};
    for (const [service, expected] of Object.entries(truth)) {
      const actual = results[service];
      if (actual?.error === "rate_limited") rateLimitedResults++;
      if (actual?.result === expected.result && actual.error === expected.error) continue;
      mismatches++;
      if (examples.length < 5) examples.push(`${fleet[index]!.host} ${service}: expected ${expected.result}/${expected.error}, got ${actual?.result}/${actual?.error}`);
    }
  });
  return { mismatches, rateLimitedResults, allMatch: mismatches === 0, examples };
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (body === null) {
    response.writeHead(status, headers);
    return void response.end();
  }
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(text)), ...headers });
  response.end(text);
}
