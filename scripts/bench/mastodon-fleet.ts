// A simulated fleet of Mastodon servers on loopback, probed by the real probe: each host
// answers the instance API as documented (v2 and v1 instance, peers, weekly activity,
// rules, NodeInfo) after 20–400 ms; 5% accept the connection and never answer, and one
// in ten is older than 4.0 and has no v2 endpoint.
import type { ServerResponse } from "node:http";
import { PROBE_DEFAULTS, type InstanceList, type ProbeSettings } from "../lib/list.ts";
import { runProbes } from "../lib/run.ts";
import { dualStackResolver, fleetResolver, seeded, startVirtualHosts } from "./virtual-hosts.ts";

export interface MastodonFleetOptions {
  servers: number;
  /** The list's own probe settings (concurrency, timeoutMs), as its maintainer would set them. */
  probe?: Partial<ProbeSettings>;
  latencyMs?: [number, number];
  /** Share of servers that never answer. */
  hanging?: number;
  /** Every host also has an IPv6 address (::1), so the probe checks that it answers there. */
  dualStack?: boolean;
}

export interface MastodonFleetFigures {
  servers: number;
  wallMs: number;
  requests: number;
  /** The most requests the run allowed in flight at once. */
  peakConcurrency: number;
  online: number;
  mismatches: number;
  allMatch: boolean;
  examples: string[];
  /** Servers whose entry says they answer over IPv6. */
  answersIpv6: number;
}

const DOMAIN = "mastodon.test";

/** Everything about one simulated server, derived from its index alone. */
function describe(index: number, hanging: number) {
  const random = seeded(`mastodon ${index}`);
  return {
    host: `m${index}.${DOMAIN}`,
    hangs: random() < hanging,
    legacy: random() < 0.1,
    users: Math.floor(random() * 50_000),
    activeMonth: Math.floor(random() * 5_000),
    statuses: Math.floor(random() * 2_000_000),
    peers: 20 + Math.floor(random() * 400),
    rules: 1 + Math.floor(random() * 6),
    registrations: random() < 0.4,
    blocksPublic: random() < 0.3,
  };
}

type Server = ReturnType<typeof describe>;

/** The documented answer of `server` for `path`, or null for a path it does not serve. */
function answer(server: Server, path: string, origin: string): unknown {
  const version = server.legacy ? "3.5.3" : "4.3.2";
  const rules = Array.from({ length: server.rules }, (_, i) => ({ id: String(i + 1), text: `Rule number ${i + 1} of ${server.host}` }));
  switch (path) {
    case "/api/v2/instance":
      if (server.legacy) return null;
      return {
        domain: server.host, title: `Server ${server.host}`, version, source_url: "https://github.com/mastodon/mastodon",
        description: `A simulated server, ${server.host}`, usage: { users: { active_month: server.activeMonth } },
        thumbnail: { url: `${origin}/thumbnail.png` }, languages: ["en"],
        configuration: { urls: { streaming: `wss://${server.host}` }, statuses: { max_characters: 500, max_media_attachments: 4, characters_reserved_per_url: 23 } },
        registrations: { enabled: server.registrations, approval_required: false, message: null },
        contact: { email: `admin@${server.host}`, account: null }, rules,
      };
    case "/api/v1/instance":
      return {
        uri: server.host, title: `Server ${server.host}`, short_description: "A simulated server", description: "", email: `admin@${server.host}`,
        version, urls: { streaming_api: `wss://${server.host}` },
        stats: { user_count: server.users, status_count: server.statuses, domain_count: server.peers },
        thumbnail: `${origin}/thumbnail.png`, languages: ["en"], registrations: server.registrations, approval_required: false,
        invites_enabled: true, rules,
      };
    case "/api/v1/instance/peers":
      return Array.from({ length: server.peers }, (_, i) => `peer${i}.example`);
    case "/api/v1/instance/activity": {
      const week = Math.floor(Date.UTC(2026, 10, 23) / 1000);
      return Array.from({ length: 12 }, (_, i) => ({
        week: String(week - i * 604_800), statuses: String(server.activeMonth * 3 + i), logins: String(server.activeMonth + i), registrations: String(i),
      }));
    }
    case "/api/v1/instance/rules":
      return rules;
    case "/api/v1/instance/domain_blocks":
      // Shown to logged-in users only, by default.
      return server.blocksPublic ? [{ domain: "spam.example", digest: "5f2a", severity: "suspend", comment: "Spam" }] : null;
    case "/api/v1/instance/extended_description":
      return server.legacy ? null : { updated_at: "2026-10-01T12:00:00.000Z", content: `<p>About ${server.host}</p>` };
    case "/.well-known/nodeinfo":
      return { links: [{ rel: "http://nodeinfo.diaspora.software/ns/schema/2.0", href: `${origin}/nodeinfo/2.0` }] };
    case "/nodeinfo/2.0":
      return {
        version: "2.0", software: { name: "mastodon", version }, protocols: ["activitypub"], services: { outbound: [], inbound: [] },
        usage: { users: { total: server.users, activeMonth: server.activeMonth, activeHalfyear: server.activeMonth * 2 }, localPosts: server.statuses },
        openRegistrations: server.registrations, metadata: {},
      };
    default:
      return null;
  }
}

/** The fleet, started: its list (for the probe), the resolver that finds its hosts, and the servers as they are. */
export interface MastodonFleet {
  list: InstanceList;
  resolve: ReturnType<typeof fleetResolver>;
  close(): Promise<void>;
  fleet: Server[];
}

/** Host names of the fleet end in this domain (the probe needs `resolve`, or a DNS that knows them). */
export const MASTODON_FLEET_DOMAIN = DOMAIN;

export async function startMastodonFleet(options: MastodonFleetOptions): Promise<MastodonFleet> {
  const [minLatency, maxLatency] = options.latencyMs ?? [20, 400];
  const fleet = Array.from({ length: options.servers }, (_, index) => describe(index, options.hanging ?? 0.05));
  const byHost = new Map(fleet.map((server) => [server.host, server]));
  const latency = seeded("mastodon latency");
  const hosts = await startVirtualHosts((host, request, response) => {
    const server = byHost.get(host);
    if (!server) return send(response, 404, { error: "Not Found" });
    if (server.hangs) return; // accepts, reads, never answers
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    setTimeout(() => {
      const body = answer(server, path, `http://${host}:${hosts.port}`);
      send(response, body === null ? 404 : 200, body ?? { error: "Record not found" });
    }, minLatency + latency() * (maxLatency - minLatency));
  }, options.dualStack ? "::" : "127.0.0.1");
  const list: InstanceList = {
    title: "Mastodon fleet",
    probe: { ...PROBE_DEFAULTS, ...options.probe, allowPrivateAddresses: ["127.0.0.1/32", "::1/128"] },
    services: {},
    instances: fleet.map((server) => ({ kind: "mastodon" as const, url: `http://${server.host}:${hosts.port}/` })),
  };
  return { list, resolve: options.dualStack ? dualStackResolver(DOMAIN) : fleetResolver(DOMAIN), close: () => hosts.close(), fleet };
}

export async function runMastodonFleet(options: MastodonFleetOptions): Promise<MastodonFleetFigures> {
  const { list, resolve, close, fleet } = await startMastodonFleet(options);
  try {
    const { entries, stats } = await runProbes({ list, resolve });
    let mismatches = 0;
    const examples: string[] = [];
    entries.forEach((entry, index) => {
      const server = fleet[index]!;
      const online = (entry as { api_online?: unknown }).api_online;
      const reason = (entry as { offline_reason?: unknown }).offline_reason;
      const wrong = server.hangs
        ? (online === false && reason === "timeout" ? [] : [`expected offline (timeout), got api_online=${online} offline_reason=${reason}`])
        : online !== true ? [`expected online, got offline_reason=${reason}`] : wrongFigures(server, entry as unknown as Record<string, unknown>);
      if (wrong.length === 0) return;
      mismatches++;
      if (examples.length < 5) examples.push(`${server.host}: ${wrong.join("; ")}`);
    });
    return {
      servers: options.servers,
      wallMs: stats.wallMs,
      requests: stats.requests,
      peakConcurrency: stats.peakConcurrency,
      online: entries.filter((entry) => (entry as { api_online?: unknown }).api_online === true).length,
      mismatches,
      allMatch: mismatches === 0,
      examples,
      answersIpv6: entries.filter((entry) => entry.answers_ipv6 === true).length,
    };
  } finally {
    await close();
  }
}

/** The figures an online server's entry must carry, as the fleet knows them. */
function wrongFigures(server: Server, entry: Record<string, unknown>): string[] {
  const expected: Record<string, unknown> = {
    api_version: server.legacy ? "v1" : "v2",
    version: server.legacy ? "3.5.3" : "4.3.2",
    peers_count: server.peers,
    rules_count: server.rules,
    active_month: server.activeMonth,
  };
  const actual: Record<string, unknown> = { ...entry, active_month: (entry.users as Record<string, unknown> | undefined)?.active_month };
  return Object.entries(expected).filter(([key, value]) => actual[key] !== value).map(([key, value]) => `${key} ${JSON.stringify(actual[key])} ≠ ${JSON.stringify(value)}`);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(text)) });
  response.end(text);
}
