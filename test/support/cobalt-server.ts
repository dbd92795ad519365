// A loopback server that speaks the cobalt API as documented: cobalt 10+ (`GET /`,
// `POST /`) or cobalt 7 (`GET /api/serverInfo`, `POST /api/json`), with per-link
// outcomes, tunnels, rate limits, Turnstile, API keys and challenge pages.
import type { ServerResponse } from "node:http";
import { sendJson, startServer, type Loopback } from "./loopback.ts";

/** What the instance answers for one test link. */
export type Outcome =
  | { status: "tunnel"; bytes: number }
  | { status: "redirect" | "picker" | "local-processing" | "stream" | "success" }
  | { error: string };

export interface FakeCobaltOptions {
  generation?: "v10" | "v7";
  version?: string;
  /** cobalt 7: the name the instance reports. */
  name?: string;
  /** cobalt 10+: the service ids the instance offers. */
  offered?: string[];
  /** Test link → outcome; links not named fail with error.api.fetch.fail. */
  outcomes?: Record<string, Outcome>;
  turnstile?: boolean;
  /** Every POST needs this Api-Key (cobalt 10+ with API keys required). */
  apiKey?: string;
  /** cobalt's per-client POST limit: `max` requests per fixed window of `windowMs`. */
  rateLimit?: { max: number; windowMs: number };
  /** A bot-protection page answers every request. */
  challenge?: boolean;
  /** true: `*`; "reflect": echoes the request's Origin; another string: that origin only (cobalt's CORS_URL). */
  cors?: boolean | "reflect" | string;
  remote?: string;
  /** Extra headers on every answer (a CDN's own, for instance). */
  headers?: Record<string, string>;
  /** Where to listen (startServer's `host`): "::" for IPv4 and IPv6 loopback both. */
  host?: string;
}

export interface FakeCobalt extends Loopback {
  posts: () => { url: string }[];
  tooManyRequests: () => number;
}

export async function startFakeCobalt(options: FakeCobaltOptions = {}): Promise<FakeCobalt> {
  const generation = options.generation ?? "v10";
  let windowStart = 0;
  let used = 0;
  let tooMany = 0;
  const postPath = generation === "v10" ? "/" : "/api/json";
  const infoPath = generation === "v10" ? "/" : "/api/serverInfo";

  const server = await startServer((request, response, body) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const allowOrigin = options.cors === true ? "*" : options.cors === "reflect" ? String(request.headers.origin ?? "") : options.cors || "";
    const corsHeaders: Record<string, string> = { ...(allowOrigin ? { "access-control-allow-origin": allowOrigin } : {}), ...options.headers };
    if (options.challenge) {
      response.writeHead(403, { "content-type": "text/html", "cf-mitigated": "challenge" });
      return void response.end("<!doctype html><title>Just a moment...</title>");
    }
    if (url.pathname === "/tunnel") {
      response.writeHead(200, { "content-type": "video/mp4", "content-length": url.searchParams.get("bytes") ?? "0" });
      return void response.end();
    }
    if (request.method === "GET" && url.pathname === infoPath) return serverInfo(response, corsHeaders);
    if (request.method === "POST" && url.pathname === postPath) return download(request.headers, response, body, corsHeaders);
    sendJson(response, 404, { status: "error", error: { code: "error.api.unknown_route" } });
  }, options.host);

  function serverInfo(response: ServerResponse, headers: Record<string, string>) {
    // Each server its own start, as real ones have: one shared with the commit marks one backend.
    const startTime = fakeStartTime(server.port);
    if (generation === "v7") {
      return sendJson(response, 200, {
        version: options.version ?? "7.15", commit: "05ba1f0", branch: "current", name: options.name ?? "kityune",
        url: `http://127.0.0.1:${server.port}/`, cors: options.cors === true ? 1 : 0, startTime: String(startTime),
      }, headers);
    }
    sendJson(response, 200, {
      cobalt: {
        version: options.version ?? "10.9.3",
        url: `http://127.0.0.1:${server.port}/`,
        startTime: String(startTime),
        durationLimit: 10800,
        services: options.offered ?? ["youtube", "tiktok", "instagram", "twitter", "soundcloud", "vimeo", "bluesky"],
        ...(options.turnstile ? { turnstileSitekey: "0x4AAAAAAA" } : {}),
      },
      git: { commit: "a1b2c3d", branch: "main", remote: options.remote ?? "imputnet/cobalt" },
    }, headers);
  }

  function download(requestHeaders: Record<string, string | string[] | undefined>, response: ServerResponse, body: string, headers: Record<string, string>) {
    if (options.rateLimit) {
      const now = Date.now();
      if (now - windowStart >= options.rateLimit.windowMs) {
        windowStart = now;
        used = 0;
      }
      used++;
      const resetSeconds = Math.ceil((windowStart + options.rateLimit.windowMs - now) / 1000);
      Object.assign(headers, {
        "ratelimit-limit": String(options.rateLimit.max),
        "ratelimit-remaining": String(Math.max(0, options.rateLimit.max - used)),
        "ratelimit-reset": String(resetSeconds),
      });
      if (used > options.rateLimit.max) {
        tooMany++;
        return sendJson(response, 429, { status: "error", error: { code: "error.api.rate_exceeded", context: { limit: 60 } } }, headers);
      }
    }
    if (options.apiKey && requestHeaders.authorization !== `Api-Key ${options.apiKey}`) {
      return sendJson(response, 401, { status: "error", error: { code: "error.api.auth.key.missing" } }, headers);
    }
    if (options.turnstile && !options.apiKey) {
      return sendJson(response, 401, { status: "error", error: { code: "error.api.auth.jwt.missing" } }, headers);
    }
    const { url } = JSON.parse(body) as { url: string };
    const outcome = options.outcomes?.[url] ?? { error: "error.api.fetch.fail" };
    if ("error" in outcome) {
      return generation === "v10"
        ? sendJson(response, 400, { status: "error", error: { code: outcome.error } }, headers)
        : sendJson(response, 400, { status: "error", text: outcome.error }, headers);
    }
    if (outcome.status === "tunnel" || outcome.status === "stream") {
      const bytes = "bytes" in outcome ? outcome.bytes : 4096;
      return sendJson(response, 200, { status: outcome.status, url: `http://127.0.0.1:${server.port}/tunnel?bytes=${bytes}`, filename: "video.mp4" }, headers);
    }
    sendJson(response, 200, { status: outcome.status, url: "https://cdn.example/video.mp4", filename: "video.mp4" }, headers);
  }

  return {
    ...server,
    posts: () => server.requests.filter((r) => r.method === "POST").map((r) => JSON.parse(r.body) as { url: string }),
    tooManyRequests: () => tooMany,
  };
}

/** The start time a fake cobalt on `port` reports (milliseconds). */
export const fakeStartTime = (port: number): number => 1724088311229 + port;
