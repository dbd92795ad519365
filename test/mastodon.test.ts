// The real probe against loopback servers that answer the Mastodon instance API and
// NodeInfo as Mastodon, Pleroma, Akkoma, GoToSocial and NodeInfo-only software do.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseList } from "../scripts/lib/list.ts";
import { assertValidOutput, runProbes } from "../scripts/lib/run.ts";
import { checkedFrom } from "../scripts/lib/runner.ts";
import { compatibleSoftware, mastodonVersion } from "../scripts/probes/mastodon.ts";
import { htmlToText as plainText } from "../scripts/lib/html.ts";
import type { MastodonInstance } from "../scripts/schema-types.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runScript } from "./support/cli.ts";
import { startServer, temporaryDirectory, writeJson, type Loopback } from "./support/loopback.ts";
import { akkoma, gotosocial, hanging, hostile, limitedMastodon, mastodon3, mastodon4, nodeInfoOnly, pleroma, sparse, startFakeMastodon, type Routes } from "./support/mastodon-server.ts";
import { ACTIVITY, RULES } from "./support/mastodon-examples.ts";

const CHECKED_AT = "2026-05-01T12:00:00Z";
const SERVERS = { mastodon4, mastodon3, limitedMastodon, pleroma, akkoma, gotosocial, sparse, nodeInfoOnly, hanging, hostile, remembered: hanging } satisfies Record<string, Routes>;
type Name = keyof typeof SERVERS | "refused";

/** An entry of a server that published nothing: the starting point of every expectation. */
function nothing(url: string): MastodonInstance {
  return {
    kind: "mastodon", url, domain: new URL(url).host, name: new URL(url).host, protocol: "http",
    api_online: true, offline_reason: null, checked_at: CHECKED_AT, data_updated_at: CHECKED_AT, stale: false, response_ms: 0,
    api_version: null, title: null, description: null, extended_description: null, extended_description_updated_at: null,
    software: { name: null, version: null, source: null }, version: null, source_url: null,
    users: { active_month: null, active_halfyear: null, total: null }, statuses: null, peers_count: null,
    registrations: { enabled: null, approval_required: null, invites_enabled: null, message: null },
    languages: [], thumbnail: null, streaming_url: null, contact: { email: null, account: null, account_url: null },
    rules_count: null, rules: null,
    limits: {
      max_characters: null, max_media_attachments: null, characters_reserved_per_url: null, max_featured_tags: null, image_size_limit: null,
      video_size_limit: null, poll_max_options: null, poll_max_characters_per_option: null, poll_min_expiration: null, poll_max_expiration: null,
    },
    translation: null, activity: null, domain_blocks: null, not_public: [],
  };
}

const DOCUMENTED_RULES = RULES.map(({ text }) => ({ text, hint: null }));
const DOCUMENTED_ACTIVITY = ACTIVITY.map((week) => ({
  week: new Date(Number(week.week) * 1000).toISOString().slice(0, 10),
  statuses: Number(week.statuses),
  logins: Number(week.logins),
  registrations: Number(week.registrations),
})).reverse();
const MASTODON_LIMITS = {
  max_characters: 500, max_media_attachments: 4, characters_reserved_per_url: 23, max_featured_tags: 10, image_size_limit: 10485760,
  video_size_limit: 41943040, poll_max_options: 4, poll_max_characters_per_option: 50, poll_min_expiration: 300, poll_max_expiration: 2629746,
};
const PLEROMA_LIMITS = {
  ...nothing("http://x").limits, max_characters: 5000, image_size_limit: 16000000, video_size_limit: 16000000,
  poll_max_options: 20, poll_max_characters_per_option: 200, poll_min_expiration: 0, poll_max_expiration: 31536000,
};

function mastodonSocial(url: string): MastodonInstance {
  return {
    ...nothing(url),
    domain: "mastodon.social",
    name: "Mastodon",
    api_version: "v2",
    title: "Mastodon",
    description: "The original server operated by the Mastodon gGmbH non-profit",
    software: { name: "mastodon", version: "4.0.0rc1", source: "nodeinfo" },
    version: "4.0.0rc1",
    source_url: "https://github.com/mastodon/mastodon",
    users: { active_month: 123122, active_halfyear: 301842, total: 812303 },
    statuses: 38151616,
    peers_count: 3,
    registrations: { enabled: false, approval_required: false, invites_enabled: null, message: null },
    languages: ["en"],
    thumbnail: "https://files.mastodon.social/site_uploads/files/000/000/001/@1x/57c12f441d083cde.png",
    streaming_url: "wss://mastodon.social/",
    contact: { email: "staff@mastodon.social", account: "Gargron", account_url: "https://mastodon.social/@Gargron" },
    rules_count: 6,
    rules: DOCUMENTED_RULES,
    limits: MASTODON_LIMITS,
    translation: true,
    activity: DOCUMENTED_ACTIVITY,
  };
}

describe("probing Mastodon-API servers", () => {
  const servers = {} as Record<Name, Loopback>;
  const entries = {} as Record<Name, MastodonInstance>;
  let output: unknown[];

  before(async () => {
    for (const [name, routes] of Object.entries(SERVERS)) servers[name as Name] = await startFakeMastodon(routes);
    servers.refused = await startServer(() => {});
    await servers.refused.close();
    const names = Object.keys(servers) as Name[];
    const list = parseList("list.json", JSON.stringify({
      title: "test list",
      probe: { timeoutMs: 10_000, allowPrivateAddresses: ["127.0.0.1/32"] },
      services: {},
      instances: names.map((name) => ({ kind: "mastodon", url: servers[name].url })),
    }));
    const previous = { ...mastodonSocial(servers.remembered.url), checked_at: "2026-04-30T12:00:00Z", data_updated_at: "2026-04-30T12:00:00Z", response_ms: 80 };
    const result = await runProbes({ list, previous: [previous], now: () => new Date(CHECKED_AT) });
    output = result.entries;
    result.entries.forEach((entry, index) => {
      assert.ok(entry.kind === "mastodon");
      assert.ok(entry.response_ms === null || entry.response_ms >= 0);
      // Listed by address: that address, no IPv6 (test/network.test.ts has the network keys' own suite).
      const { ipv4_addresses, ipv6_addresses, answers_ipv6, checked_from, ...rest } = entry;
      assert.deepEqual(checked_from, checkedFrom(process.env), "where this run ran");
      assert.deepEqual({ ipv4_addresses, ipv6_addresses, answers_ipv6 }, { ipv4_addresses: ["127.0.0.1"], ipv6_addresses: [], answers_ipv6: null });
      // Timings vary from run to run; everything else is compared exactly.
      entries[names[index]!] = { ...rest, response_ms: entry.response_ms === null ? null : 0 };
    });
  });

  after(async () => {
    await Promise.all(Object.values(servers).map((server) => server.close()));
  });

  it("publishes output that matches the real schema", () => {
    assert.doesNotThrow(() => assertValidOutput(output));
  });

  it("reads a Mastodon 4 server from API v2, the lists beside it and NodeInfo", () => {
    const url = servers.mastodon4.url;
    assert.deepEqual(entries.mastodon4, {
      ...mastodonSocial(url),
      extended_description: "For inquiries not related specifically to the operation of this server, such as press inquiries, please contact press@joinmastodon.org.\n\nFunding\n\nThis server is crowdfunded by Patreon donations. For a list of sponsors, see joinmastodon.org.\n\nReporting and moderation\n\nWhen reporting accounts, please make sure to include at least a few posts that show rule-breaking behaviour, when applicable. If there is any additional context that might help make a decision, please also include it in the comment. This is especially important when the content is in a language nobody on the moderation team speaks.\n\nWe usually handle reports within 24 hours. Please mind that you are not notified when a report you have made has led to a punitive action, and that not all punitive actions are externally visible. For first time offenses, we may opt to delete offending content, escalating to harsher measures on repeat offenses.\n\nImpressum\n\nMastodon gGmbH\nMühlenstraße 8a\n14167 Berlin\nGermany\n\nE-Mail-Adresse: hello@joinmastodon.org\n\nVertretungsberechtigt: Eugen Rochko (Geschäftsführer)\n\nUmsatzsteuer Identifikationsnummer (USt-ID): DE344258260\n\nHandelsregister\nGeführt bei: Amtsgericht Charlottenburg\nNummer: HRB 230086 B",
      extended_description_updated_at: "2022-11-03T04:09:07Z",
      domain_blocks: { total: 3, suspend: 2, silence: 1 },
    });
  });

  it("does not ask for the rules separately when the instance answer carries them", () => {
    assert.ok(!servers.mastodon4.requests.some((request) => request.path === "/api/v1/instance/rules"));
  });

  it("falls back to API v1 on a server without v2 (Mastodon 3.5)", () => {
    const url = servers.mastodon3.url;
    assert.deepEqual(entries.mastodon3, {
      ...mastodonSocial(url),
      api_version: "v1",
      version: "3.5.3",
      source_url: null,
      registrations: { enabled: false, approval_required: false, invites_enabled: true, message: null },
      thumbnail: "https://files.mastodon.social/site_uploads/files/000/000/001/original/vlcsnap-2018-08-27-16h43m11s127.png",
      limits: { ...MASTODON_LIMITS, max_featured_tags: null },
      translation: null,
      not_public: ["domain_blocks"],
    });
  });

  it("publishes lists that need a user token (limited federation) as not public, not as offline", () => {
    const url = servers.limitedMastodon.url;
    assert.deepEqual(entries.limitedMastodon, {
      ...mastodonSocial(url),
      peers_count: null,
      activity: null,
      extended_description_updated_at: "2022-11-03T04:09:07Z",
      not_public: ["peers", "activity", "domain_blocks"],
    });
  });

  it("reads Pleroma's v1 answer, its own limit names, and NodeInfo 2.1 over 2.0", () => {
    const url = servers.pleroma.url;
    assert.deepEqual(entries.pleroma, {
      ...nothing(url),
      name: "Pleroma Test",
      api_version: "v1",
      title: "Pleroma Test",
      description: "A small Pleroma server & friends",
      software: { name: "pleroma", version: "2.5.0", source: "nodeinfo" },
      version: "2.7.2 (compatible; Pleroma 2.5.0)",
      users: { active_month: 12, active_halfyear: 20, total: 37 },
      statuses: 48213,
      peers_count: 4,
      registrations: { enabled: true, approval_required: true, invites_enabled: false, message: null },
      languages: ["en", "de"],
      thumbnail: `${url}/instance/thumbnail.jpeg`,
      streaming_url: `${url.replace("http", "ws")}/`,
      contact: { email: "admin@pleroma.test", account: null, account_url: null },
      limits: PLEROMA_LIMITS,
      not_public: ["activity", "rules", "domain_blocks"],
    });
  });

  it("reads Akkoma with NodeInfo 2.0 only and its rules from the v1 rules endpoint", () => {
    const url = servers.akkoma.url;
    assert.deepEqual(entries.akkoma, {
      ...entries.pleroma,
      url,
      domain: new URL(url).host,
      name: "Akkoma Test",
      title: "Akkoma Test",
      software: { name: "akkoma", version: "3.9.3-0-gd83f5f6", source: "nodeinfo" },
      version: "2.7.2 (compatible; Akkoma 3.9.3)",
      users: { active_month: null, active_halfyear: null, total: 37 },
      registrations: { enabled: false, approval_required: false, invites_enabled: false, message: null },
      thumbnail: `${url}/instance/thumbnail.jpeg`,
      streaming_url: `${url.replace("http", "ws")}/`,
      rules_count: 2,
      rules: [{ text: "Be kind.", hint: null }, { text: "No spam", hint: null }],
      not_public: ["activity", "domain_blocks"],
    });
  });

  it("tells GoToSocial from its compatible version string when NodeInfo is hidden", () => {
    const url = servers.gotosocial.url;
    assert.deepEqual(entries.gotosocial, {
      ...nothing(url),
      domain: "gts.test",
      name: "GoToSocial Test",
      api_version: "v1",
      title: "GoToSocial Test",
      description: "A GoToSocial server.",
      software: { name: "gotosocial", version: "0.9.0 git-282be6f", source: "version" },
      version: "3.0.0 (compatible; GoToSocial 0.9.0 git-282be6f)",
      users: { active_month: null, active_halfyear: null, total: 2 },
      statuses: 120,
      peers_count: 4,
      registrations: { enabled: false, approval_required: true, invites_enabled: false, message: null },
      thumbnail: `${url}/assets/logo.png`,
      streaming_url: `${url.replace("http", "ws")}/`,
      contact: { email: null, account: "admin", account_url: `${url}/@admin` },
      rules_count: 0,
      rules: [],
      limits: { ...MASTODON_LIMITS, max_characters: 5000, max_media_attachments: 6, characters_reserved_per_url: 25, video_size_limit: 41943040, poll_max_options: 6 },
      not_public: ["peers", "activity", "domain_blocks", "nodeinfo"],
    });
  });

  it("publishes null, never a guess, for what a server leaves out (null thumbnail, no usage, no NodeInfo)", () => {
    const url = servers.sparse.url;
    assert.deepEqual(entries.sparse, {
      ...nothing(url),
      domain: "sparse.test",
      name: "Sparse",
      api_version: "v2",
      title: "Sparse",
      // A plain version without NodeInfo: Mastodon, or a fork that does not say which.
      software: { name: "mastodon", version: "4.2.0", source: "version" },
      version: "4.2.0",
      peers_count: 0,
      registrations: { enabled: true, approval_required: false, invites_enabled: null, message: null },
      extended_description_updated_at: "2024-01-01T00:00:00Z",
      rules_count: 0,
      rules: [],
      activity: [],
      not_public: ["domain_blocks", "nodeinfo"],
    });
  });

  it("counts a server without the Mastodon API that answers NodeInfo as online", () => {
    const url = servers.nodeInfoOnly.url;
    assert.deepEqual(entries.nodeInfoOnly, {
      ...nothing(url),
      software: { name: "lemmy", version: "0.19.3", source: "nodeinfo" },
      users: { active_month: 300, active_halfyear: 700, total: 1200 },
      statuses: 5400,
      registrations: { enabled: true, approval_required: null, invites_enabled: null, message: null },
      not_public: ["peers", "activity", "rules", "domain_blocks"],
    });
  });

  it("marks a server whose v2 request times out offline without trying the other endpoints", () => {
    const url = servers.hanging.url;
    assert.deepEqual(entries.hanging, { ...nothing(url), api_online: false, offline_reason: "timeout", data_updated_at: null, response_ms: null });
    assert.deepEqual(servers.hanging.requests.map((request) => request.path), ["/api/v2/instance"]);
  });

  it("marks a server that refuses connections offline", () => {
    const url = servers.refused.url;
    assert.deepEqual(entries.refused, { ...nothing(url), api_online: false, offline_reason: "connection_refused", data_updated_at: null, response_ms: null });
  });

  it("keeps the previous values of a server that stopped answering, marked stale", () => {
    const url = servers.remembered.url;
    assert.deepEqual(entries.remembered, {
      ...mastodonSocial(url),
      api_online: false,
      offline_reason: "timeout",
      data_updated_at: "2026-04-30T12:00:00Z",
      stale: true,
      response_ms: null,
    });
  });

  it("keeps markup, scripts, bad URLs, bad numbers and oversized lists out of the data", () => {
    const entry = entries.hostile;
    assert.equal(entry.title, "Evil");
    assert.equal(entry.description, "Hi <b> there\ufffd"); // &#0; decodes to U+FFFD, as in every browser
    assert.equal(entry.extended_description?.startsWith("Hello world\n\nxxx"), true);
    assert.equal(entry.extended_description?.length, 20_000);
    assert.equal(entry.extended_description_updated_at, null);
    assert.equal(entry.source_url, null);
    assert.equal(entry.thumbnail, null);
    assert.deepEqual(entry.contact, { email: null, account: "admin", account_url: null });
    assert.deepEqual(entry.registrations, { enabled: null, approval_required: null, invites_enabled: null, message: "Closed, ask" });
    assert.equal(entry.users.active_month, null);
    assert.equal(entry.languages.length, 30);
    assert.deepEqual(entry.languages.slice(0, 2), ["en", "xaa"]);
    assert.equal(entry.rules_count, 80);
    assert.equal(entry.rules?.length, 50);
    assert.deepEqual([entry.limits.max_characters, entry.limits.max_media_attachments, entry.limits.characters_reserved_per_url], [null, 4, null]);
    assert.deepEqual(entry.activity, DOCUMENTED_ACTIVITY);
    assert.equal(entry.peers_count, null);
    assert.equal(entry.domain_blocks, null);
    // NodeInfo pointing at another host (here a cloud metadata address) is not followed: the version string alone tells.
    assert.deepEqual(entry.software, { name: "mastodon", version: "4.0.0", source: "version" });
    assert.ok(!servers.hostile.requests.some((request) => request.path.startsWith("/latest")));
  });
});

describe("the probe command with Mastodon servers", () => {
  it("writes valid output with history and prints each server's software", async () => {
    const folder = temporaryDirectory();
    const servers = [await startFakeMastodon(mastodon4), await startFakeMastodon(pleroma)];
    try {
      writeJson(join(folder.dir, "list.json"), {
        title: "test list",
        probe: { timeoutMs: 30_000, allowPrivateAddresses: ["127.0.0.1/32"] },
        services: {},
        instances: servers.map((server) => ({ kind: "mastodon", url: server.url })),
      });
      const result = await runScript("scripts/probe.ts", ["--list", join(folder.dir, "list.json"), "--out", join(folder.dir, "instances.json")]);
      assert.equal(result.code, 0, result.stderr);
      const written = JSON.parse(readFileSync(join(folder.dir, "instances.json"), "utf8")) as MastodonInstance[];
      assert.deepEqual(written.map((entry) => [entry.name, entry.api_online, entry.software.name]), [["Mastodon", true, "mastodon"], ["Pleroma Test", true, "pleroma"]]);
      assert.match(result.stdout + result.stderr, /Pleroma Test\s+mastodon\s+online\s+12 active\s+pleroma 2\.5\.0/);
    } finally {
      await Promise.all(servers.map((server) => server.close()));
      folder.remove();
    }
  });
});

describe("discovering candidates from peers", () => {
  it("prints the unlisted peers that answer NodeInfo, most-known first, and leaves the list alone", async () => {
    const folder = temporaryDirectory();
    const candidates = [await startFakeMastodon(pleroma), await startFakeMastodon(nodeInfoOnly), await startFakeMastodon(gotosocial)];
    const [pleromaHost, lemmyHost, silentHost] = candidates.map((server) => new URL(server.url).host);
    const peers = (extra: string[]): Routes => (base) => ({ ...mastodon4(base), "/api/v1/instance/peers": { status: 200, json: extra } });
    const listed = [
      await startFakeMastodon(peers([pleromaHost!, lemmyHost!, silentHost!, "bad host/../x"])),
      await startFakeMastodon(peers([lemmyHost!])),
    ];
    listed.push(await startFakeMastodon(peers([new URL(listed[0]!.url).host])));
    const list = {
      title: "test list",
      probe: { timeoutMs: 30_000, allowPrivateAddresses: ["127.0.0.1/32"] },
      services: {},
      instances: listed.map((server) => ({ kind: "mastodon", url: server.url })),
    };
    try {
      writeJson(join(folder.dir, "list.json"), list);
      const result = await runScript("scripts/discover.ts", ["--list", join(folder.dir, "list.json"), "--scheme", "http"]);
      assert.equal(result.code, 0, result.stderr);
      const lines = result.stdout.trim().split("\n");
      assert.match(lines[0]!, /^host\s+known by\s+software\s+version\s+users\s+open$/);
      assert.match(lines[1]!, new RegExp(`^${lemmyHost}\\s+2\\s+lemmy\\s+0\\.19\\.3\\s+1200\\s+yes$`));
      assert.match(lines[2]!, new RegExp(`^${pleromaHost}\\s+1\\s+pleroma\\s+2\\.5\\.0\\s+37\\s+yes$`));
      assert.match(result.stdout, /2 candidates answer NodeInfo/);
      assert.ok(!result.stdout.includes(silentHost!), "a peer without NodeInfo is no candidate");
      assert.deepEqual(JSON.parse(readFileSync(join(folder.dir, "list.json"), "utf8")), list);
    } finally {
      await Promise.all([...candidates, ...listed].map((server) => server.close()));
      folder.remove();
    }
  });
});

describe("reading what servers send", () => {
  it("parses the software out of a Mastodon-compatible version string", () => {
    assert.deepEqual(compatibleSoftware("2.7.2 (compatible; Pleroma 2.5.0)"), { name: "pleroma", version: "2.5.0" });
    assert.deepEqual(compatibleSoftware("3.0.0 (compatible; GoToSocial 0.x)"), { name: "gotosocial", version: "0.x" });
    assert.deepEqual(compatibleSoftware("2.7.2 (compatible; Akkoma)"), { name: "akkoma", version: null });
    assert.equal(compatibleSoftware("4.2.1+glitch"), null);
    assert.equal(compatibleSoftware(null), null);
  });

  it("reads the version number out of a plain Mastodon version string", () => {
    assert.equal(mastodonVersion("4.2.1"), "4.2.1");
    assert.equal(mastodonVersion("4.3.0+glitch"), "4.3.0");
    assert.equal(mastodonVersion("v4.4.0-beta.1"), "4.4.0-beta.1");
    assert.equal(mastodonVersion("unknown"), null);
    assert.equal(mastodonVersion(null), null);
  });

  it("turns HTML into plain text with paragraphs, decoded entities and no tags", () => {
    assert.equal(plainText("<p>One &amp; <a href=\"javascript:x\">two</a></p>\n<p>Three<br>four &#x1F418;</p>", 100), "One & two\n\nThree\nfour 🐘");
    assert.equal(plainText("<script>alert(1)</script><style>p{}</style>  ", 100), null);
    assert.equal(plainText("<img src=x onerror=alert(1)", 100), null);
    assert.equal(plainText("abcdef", 4), "abc…");
    assert.equal(plainText("ab🐘cd", 4), "ab…");
  });
});
