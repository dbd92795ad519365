// What a server that speaks the Mastodon instance API says and what it means: the v2
// instance (v1 when v2 is missing), peers, weekly activity, rules, domain blocks, the long
// description, and NodeInfo for the software it really runs.
import type { MastodonListEntry } from "../lib/list.ts";
import { hostOf } from "../lib/list.ts";
import { classify, type Http, type HttpResponse } from "../lib/http.ts";
import type { KindProbe, ProbeContext } from "../lib/probe-kind.ts";
import { htmlToText } from "../lib/html.ts";
import { boolean, count, dateOfEpochSeconds, dateTime, isRecord, isoSeconds, text, url } from "../lib/normalise.ts";
import type { MastodonInstance } from "../schema-types.ts";

type Context = ProbeContext<MastodonInstance>;
type Optional = MastodonInstance["not_public"][number];

const MAX_LANGUAGES = 30;
const MAX_RULES = 50;
const MAX_WEEKS = 26;
/** Peers and domain-block lists of large servers run to megabytes. */
const LARGE_LIST_BYTES = 8 * 1024 * 1024;
const NODEINFO_SCHEMAS = ["2.1", "2.0"].map((version) => `http://nodeinfo.diaspora.software/ns/schema/${version}`);

/** An optional endpoint's answer: a value, "not public" (401/403/404/410), or nothing usable. */
type Optionally<T> = { value: T } | { notPublic: true } | null;

interface Instance {
  apiVersion: "v2" | "v1";
  json: Record<string, unknown>;
  ms: number;
}

export const mastodon: KindProbe<MastodonListEntry, MastodonInstance> = {
  kind: "mastodon",
  listedUrl: (entry) => entry.url,

  async probe(entry, context) {
    const base = withSlash(new URL(entry.url));
    const get = (path: string, maxBytes?: number) => context.http.request(new URL(path, base).href, { headers: { accept: "application/json" }, maxBytes });
    let v2: HttpResponse;
    try {
      v2 = await get("api/v2/instance");
    } catch (error) {
      // The server did not answer at all: asking every other endpoint would only multiply timeouts.
      return offlineEntry(entry, context, classify(error).code);
    }
    const v2Json = v2.status === 200 ? instanceJson(v2) : null;
    const [instance, nodeinfo, peers, activity, rulesAnswer, blocks, extended] = await Promise.all([
      v2Json ? { apiVersion: "v2" as const, json: v2Json, ms: v2.ms } : v1Instance(get),
      optional(() => nodeInfo(base, context.http), (value) => value),
      optional(() => get("api/v1/instance/peers", LARGE_LIST_BYTES), (json) => Array.isArray(json) ? json.length : null),
      optional(() => get("api/v1/instance/activity"), parseActivity),
      // v2 and recent v1 answers carry the rules already.
      v2Json && Array.isArray(v2Json.rules) ? null : optional(() => get("api/v1/instance/rules"), (json) => Array.isArray(json) ? json : null),
      optional(() => get("api/v1/instance/domain_blocks", LARGE_LIST_BYTES), countBlocks),
      v2Json ? optional(() => get("api/v1/instance/extended_description"), (json) => isRecord(json) ? json : null) : null,
    ]);
    const info = valueOf(nodeinfo);
    if (!instance && !info) return offlineEntry(entry, context, v2.status === 200 ? "invalid_response" : `http_${v2.status}`);

    const json = instance?.json ?? {};
    const configuration = isRecord(json.configuration) ? json.configuration : {};
    const rules = parseRules(Array.isArray(json.rules) ? json.rules : valueOf(rulesAnswer));
    const title = htmlToText(json.title, 300, 5000) ?? info?.nodeName ?? null;
    const domain = text(json.domain, 300) ?? hostOfUri(json.uri) ?? hostOf(entry.url);
    const version = text(json.version, 100);
    const extendedJson = valueOf(extended);
    const notPublic: Optional[] = [];
    const answers: [Optional, Optionally<unknown>][] = [["peers", peers], ["activity", activity], ["rules", rulesAnswer], ["domain_blocks", blocks], ["extended_description", extended], ["nodeinfo", nodeinfo]];
    for (const [name, answer] of answers) {
      // Rules the instance answer carried are public, whatever the separate endpoint says.
      if (answer && "notPublic" in answer && !(name === "rules" && rules !== null && Array.isArray(json.rules))) notPublic.push(name);
    }
    return {
      ...identity(entry, context),
      domain,
      name: entry.name ?? title ?? domain,
      api_online: true,
      offline_reason: null,
      data_updated_at: isoSeconds(context.checkedAt),
      stale: false,
      response_ms: instance?.ms ?? v2.ms,
      api_version: instance?.apiVersion ?? null,
      title,
      description: (htmlToText(json.description, 2000, 50_000) ?? htmlToText(json.short_description, 2000, 50_000)) ?? info?.nodeDescription ?? null,
      extended_description: htmlToText(isRecord(extendedJson) ? extendedJson.content : null, 20_000, 200_000),
      extended_description_updated_at: isRecord(extendedJson) ? dateTime(extendedJson.updated_at) : null,
      software: software(info, version, instance !== null),
      version,
      source_url: url(json.source_url),
      users: {
        active_month: count(path(json, "usage", "users", "active_month")) ?? info?.activeMonth ?? null,
        active_halfyear: info?.activeHalfyear ?? null,
        total: count(path(json, "stats", "user_count")) ?? info?.users ?? null,
      },
      statuses: count(path(json, "stats", "status_count")) ?? info?.localPosts ?? null,
      peers_count: valueOf(peers) ?? count(path(json, "stats", "domain_count")),
      registrations: registrations(json, info),
      languages: languages(json.languages),
      thumbnail: url(isRecord(json.thumbnail) ? json.thumbnail.url : json.thumbnail),
      streaming_url: streamingUrl(path(configuration, "urls", "streaming") ?? path(json, "urls", "streaming_api")),
      contact: contact(json),
      rules_count: rules?.count ?? null,
      rules: rules?.rules ?? null,
      limits: limits(json, configuration),
      translation: boolean(path(configuration, "translation", "enabled")),
      activity: valueOf(activity),
      domain_blocks: valueOf(blocks),
      not_public: notPublic,
    };
  },

  failed(entry, reason, context) {
    return offlineEntry(entry, context, reason);
  },
};

/** The keys that come from the list entry alone. */
function identity(entry: MastodonListEntry, context: Context) {
  return {
    kind: "mastodon" as const,
    url: entry.url,
    protocol: new URL(entry.url).protocol === "http:" ? "http" as const : "https" as const,
    checked_at: isoSeconds(context.checkedAt),
  };
}

/** A server that did not answer: the previous descriptive values are kept, marked stale. */
function offlineEntry(entry: MastodonListEntry, context: Context, reason: string): MastodonInstance {
  const previous = context.previous;
  const domain = previous?.domain ?? hostOf(entry.url);
  const empty: Omit<MastodonInstance, "kind" | "url" | "protocol" | "checked_at" | "domain" | "name" | "api_online" | "offline_reason" | "data_updated_at" | "stale" | "response_ms"> = {
    api_version: null, title: null, description: null, extended_description: null, extended_description_updated_at: null,
    software: { name: null, version: null, source: null }, version: null, source_url: null,
    users: { active_month: null, active_halfyear: null, total: null }, statuses: null, peers_count: null,
    registrations: { enabled: null, approval_required: null, invites_enabled: null, message: null },
    languages: [], thumbnail: null, streaming_url: null, contact: { email: null, account: null, account_url: null },
    rules_count: null, rules: null, limits: limits({}, {}), translation: null, activity: null, domain_blocks: null, not_public: [],
  };
  const kept = Object.fromEntries(Object.keys(empty).map((key) => [key, previous?.[key as keyof typeof empty] ?? empty[key as keyof typeof empty]])) as typeof empty;
  return {
    ...identity(entry, context),
    ...kept,
    domain,
    name: entry.name ?? previous?.title ?? domain,
    api_online: false,
    offline_reason: reason,
    data_updated_at: previous?.data_updated_at ?? null,
    stale: previous?.data_updated_at != null,
    response_ms: null,
  };
}

/** `/api/v1/instance`, for servers older than Mastodon 4.0 and most other software. */
async function v1Instance(get: (path: string) => Promise<HttpResponse>): Promise<Instance | null> {
  try {
    const response = await get("api/v1/instance");
    const json = response.status === 200 ? instanceJson(response) : null;
    return json ? { apiVersion: "v1", json, ms: response.ms } : null;
  } catch {
    return null;
  }
}

/** An instance answer worth reading: an object that names the server somehow. */
function instanceJson(response: HttpResponse): Record<string, unknown> | null {
  const json = jsonOf(response);
  if (!isRecord(json)) return null;
  return text(json.domain) !== null || text(json.uri) !== null || text(json.title) !== null || text(json.version) !== null ? json : null;
}

/** Fetches an endpoint that may be missing or private; parse returns null for an unusable answer. */
async function optional<T>(fetch: () => Promise<HttpResponse | T>, parse: (json: any) => T | null): Promise<Optionally<T>> {
  try {
    const answer = await fetch();
    if (!isResponse(answer)) return answer === null ? null : { value: answer };
    if ([401, 403, 404, 410].includes(answer.status)) return { notPublic: true };
    if (answer.status !== 200) return null;
    const value = parse(jsonOf(answer));
    return value === null ? null : { value };
  } catch {
    return null;
  }
}

function isResponse(value: unknown): value is HttpResponse {
  return isRecord(value) && Buffer.isBuffer(value.body) && typeof value.status === "number";
}

function valueOf<T>(answer: Optionally<T>): T | null {
  return answer && "value" in answer ? answer.value : null;
}

export interface NodeInfo {
  name: string | null;
  version: string | null;
  openRegistrations: boolean | null;
  users: number | null;
  activeMonth: number | null;
  activeHalfyear: number | null;
  localPosts: number | null;
  nodeName: string | null;
  nodeDescription: string | null;
}

/** `/.well-known/nodeinfo` names the document; only one on the same host is followed. */
export async function nodeInfo(base: URL, http: Http): Promise<HttpResponse | NodeInfo | null> {
  const index = await http.request(new URL("/.well-known/nodeinfo", base).href, { headers: { accept: "application/json" } });
  if (index.status !== 200) return index;
  const json = jsonOf(index);
  const links = isRecord(json) && Array.isArray(json.links) ? json.links.filter(isRecord) : [];
  const link = NODEINFO_SCHEMAS.map((schema) => links.find((candidate) => candidate.rel === schema)).find(Boolean);
  const href = link ? text(link.href, 2048) : null;
  if (href === null) return null;
  let document: URL;
  try {
    document = new URL(href, base);
  } catch {
    return null;
  }
  if (document.hostname !== base.hostname || !/^https?:$/.test(document.protocol)) return null;
  const response = await http.request(document.href, { headers: { accept: "application/json" } });
  if (response.status !== 200) return response;
  const info = jsonOf(response);
  if (!isRecord(info) || !isRecord(info.software)) return null;
  const metadata = isRecord(info.metadata) ? info.metadata : {};
  return {
    name: text(info.software.name, 100, { fold: true }),
    version: text(info.software.version, 100),
    openRegistrations: boolean(info.openRegistrations),
    users: count(path(info, "usage", "users", "total")),
    activeMonth: count(path(info, "usage", "users", "activeMonth")),
    activeHalfyear: count(path(info, "usage", "users", "activeHalfyear")),
    localPosts: count(path(info, "usage", "localPosts")),
    nodeName: htmlToText(metadata.nodeName, 300, 5000),
    nodeDescription: htmlToText(metadata.nodeDescription, 2000, 50_000),
  };
}

/** `2.7.2 (compatible; Pleroma 2.5.0)` → Pleroma 2.5.0; Mastodon itself has no such part. */
export function compatibleSoftware(version: string | null): { name: string; version: string | null } | null {
  // The name cannot hold white space and the version must start with it, so there is one way to match.
  const match = version?.match(/\(compatible;\s*([^\s;)]+)(\s[^;)]*)?\)/i);
  const name = text(match?.[1], 100, { fold: true });
  if (!match || name === null) return null;
  return { name, version: text(match[2], 100) };
}

/**
 * NodeInfo's word, else the version string's: a `(compatible; …)` part names the software;
 * a plain version is Mastodon's own (or a fork's that does not say which), so a server that
 * answers the instance API always has a software name.
 */
function software(info: NodeInfo | null, version: string | null, answeredInstanceApi: boolean): MastodonInstance["software"] {
  if (info?.name) return { name: info.name, version: info.version, source: "nodeinfo" };
  const compatible = compatibleSoftware(version);
  if (compatible) return { ...compatible, source: "version" };
  if (answeredInstanceApi) return { name: "mastodon", version: mastodonVersion(version), source: "version" };
  return { name: null, version: null, source: null };
}

/** `4.2.1`, `4.3.0+glitch`, `v4.2.0-beta1` → the version number itself; null when there is none. */
export function mastodonVersion(version: string | null): string | null {
  if (!version) return null;
  // The first `major.minor[.patch][-suffix]`, found in one pass: a search with a regular
  // expression retries from every digit of a long run of digits.
  const isDigit = (at: number) => at < version.length && version.charCodeAt(at) >= 48 && version.charCodeAt(at) <= 57;
  const digitsFrom = (at: number) => {
    let end = at;
    while (isDigit(end)) end++;
    return end;
  };
  for (let start = 0; start < version.length;) {
    if (!isDigit(start)) {
      start++;
      continue;
    }
    const major = digitsFrom(start);
    const minor = version[major] === "." ? digitsFrom(major + 1) : major;
    if (minor === major || minor === major + 1) {
      start = Math.max(major, start + 1);
      continue;
    }
    let end = minor;
    if (version[end] === "." && isDigit(end + 1)) end = digitsFrom(end + 1);
    if (version[end] === "-" && end + 1 < version.length && /[0-9A-Za-z.-]/.test(version[end + 1]!)) {
      end++;
      while (end < version.length && /[0-9A-Za-z.-]/.test(version[end]!)) end++;
    }
    return version.slice(start, end);
  }
  return null;
}

function registrations(json: Record<string, unknown>, info: NodeInfo | null): MastodonInstance["registrations"] {
  if (isRecord(json.registrations)) {
    return {
      enabled: boolean(json.registrations.enabled) ?? info?.openRegistrations ?? null,
      approval_required: boolean(json.registrations.approval_required),
      invites_enabled: boolean(json.invites_enabled),
      message: htmlToText(json.registrations.message, 2000, 50_000),
    };
  }
  return {
    enabled: boolean(json.registrations) ?? info?.openRegistrations ?? null,
    approval_required: boolean(json.approval_required),
    invites_enabled: boolean(json.invites_enabled),
    message: null,
  };
}

function languages(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const codes = value.map((code) => text(code, 20)).filter((code): code is string => code !== null && /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/.test(code));
  return [...new Set(codes)].slice(0, MAX_LANGUAGES);
}

function contact(json: Record<string, unknown>): MastodonInstance["contact"] {
  const v2 = isRecord(json.contact) ? json.contact : null;
  const account = isRecord(v2?.account) ? v2.account : isRecord(json.contact_account) ? json.contact_account : null;
  const email = text(v2 ? v2.email : json.email, 200);
  return {
    email: email !== null && /^[^\s@]+@[^\s@]+$/.test(email) ? email : null,
    account: account ? text(account.acct, 200) : null,
    account_url: account ? url(account.url) : null,
  };
}

function parseRules(value: unknown[] | null): { count: number; rules: NonNullable<MastodonInstance["rules"]> } | null {
  if (value === null) return null;
  const rules = value.filter(isRecord).map((rule) => ({ text: htmlToText(rule.text, 1000, 5000), hint: htmlToText(rule.hint, 2000, 10_000) }))
    .filter((rule): rule is { text: string; hint: string | null } => rule.text !== null);
  return { count: rules.length, rules: rules.slice(0, MAX_RULES) };
}

/** Post limits; Pleroma and Akkoma publish some of them under their own names. */
function limits(json: Record<string, unknown>, configuration: Record<string, unknown>): MastodonInstance["limits"] {
  const pollLimits = isRecord(json.poll_limits) ? json.poll_limits : {};
  return {
    max_characters: count(path(configuration, "statuses", "max_characters")) ?? count(json.max_toot_chars),
    max_media_attachments: count(path(configuration, "statuses", "max_media_attachments")),
    characters_reserved_per_url: count(path(configuration, "statuses", "characters_reserved_per_url")),
    max_featured_tags: count(path(configuration, "accounts", "max_featured_tags")),
    image_size_limit: count(path(configuration, "media_attachments", "image_size_limit")) ?? count(json.upload_limit),
    video_size_limit: count(path(configuration, "media_attachments", "video_size_limit")) ?? count(json.upload_limit),
    poll_max_options: count(path(configuration, "polls", "max_options")) ?? count(pollLimits.max_options),
    poll_max_characters_per_option: count(path(configuration, "polls", "max_characters_per_option")) ?? count(pollLimits.max_option_chars),
    poll_min_expiration: count(path(configuration, "polls", "min_expiration")) ?? count(pollLimits.min_expiration),
    poll_max_expiration: count(path(configuration, "polls", "max_expiration")) ?? count(pollLimits.max_expiration),
  };
}

/** Weekly buckets arrive newest first with every number as a string; published oldest first as numbers. */
function parseActivity(json: unknown): NonNullable<MastodonInstance["activity"]> | null {
  if (!Array.isArray(json)) return null;
  const weeks = json.filter(isRecord).map((bucket) => {
    const week = count(bucket.week);
    const statuses = count(bucket.statuses);
    const logins = count(bucket.logins);
    const registrations = count(bucket.registrations);
    const day = week === null ? null : dateOfEpochSeconds(week);
    if (day === null || statuses === null || logins === null || registrations === null) return null;
    return { week: day, statuses, logins, registrations };
  }).filter((bucket) => bucket !== null);
  weeks.sort((a, b) => a.week.localeCompare(b.week));
  return weeks.slice(-MAX_WEEKS);
}

function countBlocks(json: unknown): NonNullable<MastodonInstance["domain_blocks"]> | null {
  if (!Array.isArray(json)) return null;
  const blocks = json.filter(isRecord);
  return {
    total: blocks.length,
    suspend: blocks.filter((block) => block.severity === "suspend").length,
    silence: blocks.filter((block) => block.severity === "silence").length,
  };
}

function path(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** The host of a v1 `uri`, which is a domain or a URL. */
function hostOfUri(value: unknown): string | null {
  const uri = text(value, 300);
  if (uri === null) return null;
  const host = uri.includes("://") ? uri.slice(uri.indexOf("://") + 3) : uri;
  const end = host.search(/[/?#]/);
  return text(end === -1 ? host : host.slice(0, end), 300);
}

function streamingUrl(value: unknown): string | null {
  return url(value, { schemes: ["wss", "ws", "https", "http"] });
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
