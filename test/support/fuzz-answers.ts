// Generated hostile instances for the fuzz suite: real answers (cobalt's, and the Mastodon
// documentation's examples) with generated values put anywhere in them, whole answers
// replaced by junk, odd status codes and headers, and hostile front-end HTML. Each case is
// a table of routes served by its own loopback server; `{{BASE}}` in a body is the server's
// own URL, so links can point back at it.
import fc from "fast-check";
import { startServer, type Loopback } from "./loopback.ts";
import { ACTIVITY, DOMAIN_BLOCKS, EXTENDED_DESCRIPTION, PEERS, RULES, V1_INSTANCE, V2_INSTANCE } from "./mastodon-examples.ts";
import { PAYLOADS } from "./site-data.ts";

export interface Route {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** `METHOD /path` → route; anything else answers 404. */
export type Routes = Record<string, Route>;

export interface FuzzCase {
  kind: "cobalt" | "mastodon";
  routes: Routes;
  /** cobalt: whether the list names a front end (served at /app/). */
  frontEnd: boolean;
}

const BASE = "{{BASE}}";

/** Text an instance might send to hurt a reader, a log, a parser or a schema. */
const NASTY = [
  ...Object.values(PAYLOADS),
  "<svg onload=alert('xss-svg')>", "&lt;img src=x onerror=alert('xss-entity')&gt;", "<p>&lt;script&gt;alert('xss-entity')&lt;/script&gt;</p>", "</title><script>alert('xss-title')</script>", "<a href=\"javascript:alert('xss-a')\">x</a>",
  "10.1\n::warning title=Injected::x\n::add-mask::main", "::stop-commands::token", "##[error]x", "\u0000\u0007\u001b[31m", "\u2028\u2029\u0085",
  "\ud800", "\udfff", "İ".repeat(120), "\u202eevil", "a|b", "%00", "%E0%A4%A", "\\u0000",
  "0000-01-01T00:00:00+01:00", "+010000-01-01T00:00:00Z", "2026-02-30T25:61:00Z", "NaN", "Infinity", "-0", "1e300", "0x10",
  "https://evil.example/a|b.png", "http://[::1]/", "http://169.254.169.254/latest/meta-data/", "//evil.example", "data:text/html,<script>alert(1)</script>",
  `${BASE}/tunnel`, `${BASE}/redirect`, "__proto__", "constructor", "toString", "", " ", "\t\n",
  "<script".repeat(2_000), "<meta name=application-name ".repeat(500), "x".repeat(70_000),
];

const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()) },
);

const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(1e300, -1e300, Number.MAX_SAFE_INTEGER + 2, -62135596800, 253402300800, 8.64e15 + 1, 0, -1, 0.5),
);

/** Any JSON value, nested a little, hostile at the leaves. */
const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString, hostileNumber, fc.boolean(), fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(hostileString, tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** Every place in a JSON value (objects, arrays and leaves), as paths. */
function placesIn(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((item, index) => placesIn(item, [...path, index], out));
  else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) placesIn(item, [...path, key], out);
  return out;
}

function replaced(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, index) => (index === head ? replaced(item, rest, replacement) : item));
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  copy[head!] = replaced(copy[head!], rest, replacement);
  return copy;
}

/** A real answer with a few generated values put in random places, or hostile text in every string. */
function mutated(base: unknown): fc.Arbitrary<unknown> {
  const places = placesIn(base);
  const strings = places.filter((path) => typeof path.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], base) === "string");
  const somewhere = fc.array(fc.tuple(fc.nat(), hostileValue), { minLength: 1, maxLength: 6 })
    .map((changes) => changes.reduce((value, [at, replacement]) => replaced(value, places[1 + (at % (places.length - 1))] ?? [], replacement), base));
  const everyString = fc.array(hostileString, { minLength: strings.length, maxLength: strings.length })
    .map((texts) => strings.reduce((value, path, index) => replaced(value, path, texts[index]), base));
  return fc.oneof({ weight: 3, arbitrary: somewhere }, { weight: 1, arbitrary: everyString });
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}): Route => ({ status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(value) ?? "null" });

/** An answer to one route: mostly the real answer mutated, sometimes junk, an odd status or odd headers. */
function answer(base: unknown): fc.Arbitrary<Route> {
  return fc.oneof(
    { weight: 6, arbitrary: mutated(base).map((value) => json(200, value)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(200, 201, 204, 301, 400, 401, 403, 404, 429, 500, 503), hostileValue).map(([status, value]) => json(status, value)) },
    { weight: 1, arbitrary: hostileString.map((body) => ({ status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body })) },
    { weight: 1, arbitrary: fc.tuple(mutated(base), fc.dictionary(fc.constantFrom("ratelimit-reset", "ratelimit-remaining", "retry-after", "access-control-allow-origin", "location", "content-type"), hostileString.map((text) => text.replace(/[^\t\x20-\x7e]/g, "").slice(0, 200)), { maxKeys: 3 }))
      .map(([value, headers]) => json(200, value, headers)) },
  );
}

const COBALT_INFO = {
  cobalt: { version: "11.7.1", url: `${BASE}/`, startTime: "1724088311229", durationLimit: 10800, services: ["youtube", "twitch clips", "bluesky", "tiktok"], turnstileSitekey: "0x4AAAAAAA" },
  git: { commit: "a1b2c3d", branch: "main", remote: "imputnet/cobalt" },
};
const COBALT_7_INFO = { version: "7.15", commit: "05ba1f0", branch: "current", name: "kityune", url: `${BASE}/`, cors: 1, startTime: "1724088311229" };
const DOWNLOAD = { status: "tunnel", url: `${BASE}/tunnel?bytes=4096`, filename: "video.mp4" };
const PICKER = { status: "picker", picker: [{ type: "photo", url: `${BASE}/tunnel?bytes=1`, thumb: `${BASE}/thumb` }], audio: `${BASE}/tunnel` };

/** Front-end HTML: fragments that trip up parsers and checks, in any order. */
const frontEndPage = fc.array(fc.oneof(
  fc.constantFrom('<meta name="application-name" content="cobalt">', "<title>cobalt</title>", "<meta name=application-name ", "<!--", "<![CDATA[", "<script>", "</title>", "<title>", "&#x110000;", "&amp", PAYLOADS.script, PAYLOADS.img),
  hostileString,
), { maxLength: 30 }).map((parts) => ({ status: 200, headers: { "content-type": "text/html" }, body: parts.join("") }));

const cobaltCase: fc.Arbitrary<FuzzCase> = fc.record({
  cobalt7: fc.boolean(),
  info: answer(COBALT_INFO),
  info7: answer(COBALT_7_INFO),
  download: fc.oneof(answer(DOWNLOAD), answer(PICKER), answer({ status: "redirect", url: "https://cdn.example/v.mp4" }), answer({ status: "error", error: { code: "error.api.fetch.fail" } })),
  tunnel: fc.record({ status: fc.constantFrom(200, 206, 302, 404, 500), length: fc.oneof(fc.nat().map(String), hostileString.map((text) => text.replace(/[^\x20-\x7e]/g, "").slice(0, 40))) }),
  frontEnd: fc.option(frontEndPage, { nil: undefined }),
}).map(({ cobalt7, info, info7, download, tunnel, frontEnd }) => {
  const routes: Routes = cobalt7
    ? { "GET /api/serverInfo": info7, "POST /api/json": download }
    : { "GET /": info, "POST /": download };
  const headers: Record<string, string> = tunnel.length ? { "content-length": tunnel.length } : {};
  routes["HEAD /tunnel"] = { status: tunnel.status, headers: { "content-type": "video/mp4", ...headers }, body: "" };
  routes["GET /redirect"] = { status: 307, headers: { location: "http://127.0.0.2/elsewhere" }, body: "" };
  if (frontEnd) routes["GET /app/"] = frontEnd;
  return { kind: "cobalt" as const, routes, frontEnd: frontEnd !== undefined };
});

const NODEINFO_INDEX = { links: [{ rel: "http://nodeinfo.diaspora.software/ns/schema/2.0", href: `${BASE}/nodeinfo/2.0` }] };
const NODEINFO = {
  version: "2.0", software: { name: "mastodon", version: "4.3.0" }, protocols: ["activitypub"], services: { outbound: [], inbound: [] },
  usage: { users: { total: 812303, activeMonth: 123122, activeHalfyear: 301842 }, localPosts: 38151616 }, openRegistrations: false, metadata: { nodeName: "Mastodon" },
};

const mastodonCase: fc.Arbitrary<FuzzCase> = fc.record({
  "GET /api/v2/instance": fc.oneof({ weight: 4, arbitrary: answer(V2_INSTANCE) }, { weight: 1, arbitrary: fc.constant(json(404, { error: "Not found" })) }),
  "GET /api/v1/instance": answer(V1_INSTANCE),
  "GET /api/v1/instance/peers": answer(PEERS),
  "GET /api/v1/instance/activity": answer(ACTIVITY),
  "GET /api/v1/instance/rules": answer(RULES),
  "GET /api/v1/instance/domain_blocks": answer(DOMAIN_BLOCKS),
  "GET /api/v1/instance/extended_description": answer(EXTENDED_DESCRIPTION),
  "GET /.well-known/nodeinfo": answer(NODEINFO_INDEX),
  "GET /nodeinfo/2.0": answer(NODEINFO),
}).map((routes) => ({ kind: "mastodon" as const, routes, frontEnd: false }));

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(cobaltCase, mastodonCase);

/** Serves one case on loopback. */
export async function serveCase(fuzz: FuzzCase): Promise<Loopback> {
  let base = "";
  const server = await startServer((request, response) => {
    const route = fuzz.routes[`${request.method} ${new URL(request.url ?? "/", "http://localhost").pathname}`];
    if (!route) {
      response.writeHead(404, { "content-type": "text/plain" });
      return void response.end("not found");
    }
    const body = route.body.replaceAll(BASE, base);
    try {
      response.writeHead(route.status, route.headers);
    } catch {
      // A generated header Node refuses to send: the status alone.
      response.writeHead(route.status);
    }
    response.end(request.method === "HEAD" || route.status === 204 || route.status === 304 ? undefined : body);
  });
  base = server.url;
  return server;
}
