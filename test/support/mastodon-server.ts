// Loopback servers that answer the Mastodon instance API and NodeInfo as each kind of
// software does: Mastodon 4 (the documentation's examples), Mastodon 3.5 without v2,
// Mastodon in limited-federation mode, Pleroma, Akkoma, GoToSocial, a NodeInfo-only server.
import { sendJson, startServer, type Loopback } from "./loopback.ts";
import { ACTIVITY, DOMAIN_BLOCKS, EXTENDED_DESCRIPTION, INVALID_TOKEN_ERROR, PEERS, RULES, V1_INSTANCE, V2_INSTANCE, WHITELIST_ERROR } from "./mastodon-examples.ts";

/** One answer: a status with a JSON body (or an empty body), or no answer at all. */
export type Answer = { status: number; json?: unknown; body?: string } | "hang";

/** Path → answer; the base URL lets NodeInfo's index point at the server itself. Paths not named answer 404. */
export type Routes = (base: string) => Record<string, Answer>;

export async function startFakeMastodon(routes: Routes, host?: string): Promise<Loopback> {
  let table: Record<string, Answer> = {};
  const server = await startServer((request, response) => {
    const answer = table[new URL(request.url ?? "/", "http://localhost").pathname];
    if (answer === "hang") return new Promise<void>(() => {});
    if (!answer) {
      // Rails' own 404 for an unknown route is an HTML page, not JSON.
      response.writeHead(404, { "content-type": "text/html; charset=utf-8" });
      return void response.end("<!DOCTYPE html><title>The page you were looking for doesn't exist (404)</title>");
    }
    if (answer.json === undefined) {
      response.writeHead(answer.status, { "content-type": "text/plain" });
      return void response.end(answer.body ?? "");
    }
    sendJson(response, answer.status, answer.json);
  }, host);
  table = routes(server.url);
  return server;
}

const ok = (json: unknown): Answer => ({ status: 200, json });

function nodeInfoIndex(base: string, versions: string[]): Answer {
  return ok({ links: versions.map((version) => ({ rel: `http://nodeinfo.diaspora.software/ns/schema/${version}`, href: `${base}/nodeinfo/${version}` })) });
}

/** A NodeInfo document as the schema defines it (2.1 adds `software.repository` and `homepage`). */
export function nodeInfoDocument(version: "2.0" | "2.1", software: { name: string; version: string }, usage: unknown, openRegistrations: boolean, metadata: unknown = {}) {
  return {
    version,
    software: version === "2.1" ? { ...software, repository: "https://example.org/source", homepage: "https://example.org" } : software,
    protocols: ["activitypub"],
    services: { outbound: [], inbound: [] },
    usage,
    openRegistrations,
    metadata,
  };
}

/** Mastodon 4: every endpoint public, as in the documentation's examples. */
export const mastodon4: Routes = (base) => ({
  "/api/v2/instance": ok(V2_INSTANCE),
  "/api/v1/instance": ok(V1_INSTANCE),
  "/api/v1/instance/peers": ok(PEERS),
  "/api/v1/instance/activity": ok(ACTIVITY),
  "/api/v1/instance/rules": ok(RULES),
  "/api/v1/instance/domain_blocks": ok([...DOMAIN_BLOCKS, { domain: "noisy.example", digest: "00", severity: "silence", comment: "Spam" }]),
  "/api/v1/instance/extended_description": ok(EXTENDED_DESCRIPTION),
  "/.well-known/nodeinfo": nodeInfoIndex(base, ["2.0"]),
  "/nodeinfo/2.0": ok(nodeInfoDocument("2.0", { name: "mastodon", version: "4.0.0rc1" },
    { users: { total: 812303, activeMonth: 123122, activeHalfyear: 301842 }, localPosts: 38151616 }, false, { nodeName: "Mastodon" })),
});

/** Mastodon 3.5: no v2 (Rails answers its HTML 404), no domain blocks, no extended description. */
export const mastodon3: Routes = (base) => {
  const { "/api/v2/instance": _v2, "/api/v1/instance/domain_blocks": _blocks, "/api/v1/instance/extended_description": _extended, ...rest } = mastodon4(base);
  return rest;
};

/** Mastodon in limited-federation (whitelist) mode: the lists need a user token. */
export const limitedMastodon: Routes = (base) => ({
  ...mastodon4(base),
  "/api/v1/instance/peers": { status: 401, json: WHITELIST_ERROR },
  "/api/v1/instance/activity": { status: 401, json: WHITELIST_ERROR },
  "/api/v1/instance/domain_blocks": { status: 401, json: INVALID_TOKEN_ERROR },
  // The administrator hides the long description: Mastodon then answers an empty one.
  "/api/v1/instance/extended_description": ok({ updated_at: "2022-11-03T04:09:07Z", content: "" }),
});

/** Pleroma: v1 only, with its own names for limits; no activity, rules or domain-block endpoints. */
export const pleroma: Routes = (base) => ({
  "/api/v1/instance": ok({
    uri: base,
    title: "Pleroma Test",
    description: "A <b>small</b> Pleroma server &amp; friends",
    short_description: "",
    email: "admin@pleroma.test",
    version: "2.7.2 (compatible; Pleroma 2.5.0)",
    urls: { streaming_api: base.replace(/^http/, "ws") },
    stats: { domain_count: 2150, status_count: 48213, user_count: 37 },
    thumbnail: `${base}/instance/thumbnail.jpeg`,
    languages: ["en", "de"],
    registrations: true,
    approval_required: true,
    invites_enabled: false,
    max_toot_chars: 5000,
    poll_limits: { max_expiration: 31536000, max_option_chars: 200, max_options: 20, min_expiration: 0 },
    upload_limit: 16000000,
    avatar_upload_limit: 2000000,
    background_upload_limit: 4000000,
    banner_upload_limit: 4000000,
    background_image: "/images/city.jpg",
    pleroma: { metadata: { account_activation_required: true, features: ["pleroma_api", "mastodon_api"], federation: { enabled: true } }, vapid_public_key: "BKx" },
  }),
  "/api/v1/instance/peers": ok(["pleroma.example", "mastodon.example", "misskey.example", "gts.example"]),
  "/.well-known/nodeinfo": nodeInfoIndex(base, ["2.0", "2.1"]),
  "/nodeinfo/2.0": ok(nodeInfoDocument("2.0", { name: "pleroma", version: "2.5.0" }, { users: { total: 37 }, localPosts: 48213 }, true)),
  "/nodeinfo/2.1": ok(nodeInfoDocument("2.1", { name: "pleroma", version: "2.5.0" },
    { users: { total: 37, activeMonth: 12, activeHalfyear: 20 }, localPosts: 48213 }, true, { nodeName: "Pleroma Test", nodeDescription: "A small Pleroma server" })),
});

/** Akkoma: Pleroma's v1 shape with its own name; NodeInfo 2.0 only; rules through the v1 endpoint. */
export const akkoma: Routes = (base) => {
  const { "/api/v1/instance": v1, "/.well-known/nodeinfo": _index, "/nodeinfo/2.1": _info, ...rest } = pleroma(base);
  const instance = (v1 as { json: Record<string, unknown> }).json;
  return {
    ...rest,
    "/api/v1/instance": ok({ ...instance, title: "Akkoma Test", version: "2.7.2 (compatible; Akkoma 3.9.3)", registrations: false, approval_required: false }),
    "/api/v1/instance/rules": ok([{ id: "1", text: "Be <em>kind</em>.", hint: "" }, { id: "2", text: "No spam" }]),
    "/.well-known/nodeinfo": nodeInfoIndex(base, ["2.0"]),
    "/nodeinfo/2.0": ok(nodeInfoDocument("2.0", { name: "akkoma", version: "3.9.3-0-gd83f5f6" }, { users: { total: 5 }, localPosts: 812 }, false)),
  };
};

/** GoToSocial before it had v2, behind a proxy that hides NodeInfo: only the version string tells the software. */
export const gotosocial: Routes = (base) => ({
  "/api/v1/instance": ok({
    uri: "gts.test",
    account_domain: "gts.test",
    title: "GoToSocial Test",
    description: "<p>A GoToSocial server.</p>",
    short_description: "<p>Tiny.</p>",
    email: "",
    version: "3.0.0 (compatible; GoToSocial 0.9.0 git-282be6f)",
    registrations: false,
    approval_required: true,
    invites_enabled: false,
    configuration: {
      statuses: { max_characters: 5000, max_media_attachments: 6, characters_reserved_per_url: 25, supported_mime_types: ["text/plain", "text/markdown"] },
      media_attachments: { supported_mime_types: ["image/jpeg"], image_size_limit: 10485760, image_matrix_limit: 16777216, video_size_limit: 41943040, video_frame_rate_limit: 60, video_matrix_limit: 16777216 },
      polls: { max_options: 6, max_characters_per_option: 50, min_expiration: 300, max_expiration: 2629746 },
      accounts: { allow_custom_css: false, max_featured_tags: 10, max_profile_fields: 6 },
      emojis: { emoji_size_limit: 51200 },
    },
    urls: { streaming_api: `${base.replace(/^http/, "ws")}` },
    stats: { domain_count: 4, status_count: 120, user_count: 2 },
    thumbnail: `${base}/assets/logo.png`,
    contact_account: { id: "01F8MH17FWEB39HZJ76B6VXSKF", username: "admin", acct: "admin", url: `${base}/@admin` },
    max_toot_chars: 5000,
    rules: [],
  }),
  "/api/v1/instance/peers": { status: 403, json: { error: "Forbidden: peers not public" } },
  "/api/v1/instance/activity": { status: 404, json: { error: "Not Found" } },
});

/** A Mastodon-compatible v2 answer with nothing optional: a null thumbnail, no `usage`, no NodeInfo. */
export const sparse: Routes = () => ({
  "/api/v2/instance": ok({
    domain: "sparse.test",
    title: "Sparse",
    version: "4.2.0",
    source_url: "",
    description: "",
    thumbnail: null,
    languages: [],
    configuration: { urls: {}, statuses: {} },
    registrations: { enabled: true, approval_required: false, message: null },
    contact: { email: "", account: null },
    rules: [],
  }),
  "/api/v1/instance/activity": ok([]),
  "/api/v1/instance/peers": ok([]),
  "/api/v1/instance/domain_blocks": { status: 404, body: "" },
  "/api/v1/instance/extended_description": ok({ updated_at: "2024-01-01T00:00:00Z", content: "" }),
});

/** Software without the Mastodon API (v2 and v1 missing) that still publishes NodeInfo 2.1. */
export const nodeInfoOnly: Routes = (base) => ({
  "/.well-known/nodeinfo": nodeInfoIndex(base, ["2.1"]),
  "/nodeinfo/2.1": ok(nodeInfoDocument("2.1", { name: "Lemmy", version: "0.19.3" },
    { users: { total: 1200, activeMonth: 300, activeHalfyear: 700 }, localPosts: 5400 }, true, {})),
});

/** A server that accepts the connection and never answers. */
export const hanging: Routes = () => ({ "/api/v2/instance": "hang", "/api/v1/instance": "hang" });

/** Everything an instance could send to hurt the site or the probe. */
export const hostile: Routes = () => ({
  "/api/v2/instance": ok({
    ...V2_INSTANCE,
    domain: "hostile.test",
    title: "  <script>alert(1)</script>Evil  ",
    description: "<img src=x onerror=alert(1)>Hi &lt;b&gt; \u0007there&#0;",
    source_url: "javascript:alert(1)",
    thumbnail: { url: "data:text/html,<script>alert(1)</script>" },
    languages: ["en", "en", "<script>", 42, ...Array.from({ length: 40 }, (_, i) => `x${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`)],
    usage: { users: { active_month: -5 } },
    registrations: { enabled: "yes", approval_required: null, message: "<p>Closed, <a href=\"javascript:x\">ask</a></p>" },
    contact: { email: "not an email", account: { acct: "admin", url: "javascript:alert(1)" } },
    rules: Array.from({ length: 80 }, (_, i) => ({ id: String(i), text: `Rule ${i}` })),
    configuration: { ...V2_INSTANCE.configuration, statuses: { max_characters: 1e400, max_media_attachments: "4", characters_reserved_per_url: 1.5 } },
  }),
  "/api/v1/instance/activity": ok([...ACTIVITY, { week: "abc", statuses: "1", logins: "1", registrations: "1" }, { week: "1567382400", statuses: "-1", logins: "1", registrations: "1" }, "junk"]),
  "/api/v1/instance/peers": ok({ not: "an array" }),
  "/api/v1/instance/extended_description": ok({ updated_at: "yesterday", content: `<style>p{}</style><script>steal()</script><p>Hello&nbsp;<b>world</b></p>${"x".repeat(30_000)}` }),
  "/api/v1/instance/domain_blocks": { status: 200, body: "not json" },
  "/.well-known/nodeinfo": ok({ links: [{ rel: "http://nodeinfo.diaspora.software/ns/schema/2.1", href: "http://169.254.169.254/latest/meta-data" }] }),
});
