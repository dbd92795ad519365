// Slugs come from an instance's kind and host alone: unique within a kind, never ending in
// .json, and unchanged when the list is reordered. Checked on the function with generated
// hosts and on the real site build with the list that once broke it.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { instanceSlug } from "../scripts/lib/slug.ts";
import { hostOf } from "../scripts/lib/list.ts";
import { cobaltEntry } from "./support/output-entries.ts";
import { buildSite, readText } from "./support/site-data.ts";
import { temporaryDirectory } from "./support/loopback.ts";

describe("instance slugs", () => {
  it("keep today's readable form for ordinary hosts", () => {
    assert.equal(instanceSlug("https://api.example.com"), "api.example.com");
    assert.equal(instanceSlug("https://API.Example.com./"), "api.example.com");
    assert.equal(instanceSlug("http://127.0.0.1:8443"), "127.0.0.1-8443");
    assert.equal(instanceSlug("https://xn--bcher-kva.example/"), "xn--bcher-kva.example");
  });

  it("depend on the host and port alone, not on the path the instance is listed under", () => {
    assert.equal(instanceSlug("http://127.0.0.1/8443.json"), instanceSlug("http://127.0.0.1/"));
    assert.equal(instanceSlug("https://a.example/api/"), "a.example");
  });

  it("never meet for two hosts the list may hold together, never end in .json, and stay file-name safe", () => {
    const label = fc.stringMatching(/^[a-z0-9_-]{1,12}$/);
    const host = fc.oneof(
      fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join(".")),
      fc.ipV4(),
      fc.ipV6().map((address) => `[${address}]`),
      fc.constantFrom("json", "a.json", "a-8443", "a-1.json", "x".repeat(200)),
    );
    const listed = fc.record({ scheme: fc.constantFrom("http", "https"), host, port: fc.option(fc.integer({ min: 1, max: 65535 })) })
      .map(({ scheme, host, port }) => `${scheme}://${host}${port === null ? "" : `:${port}`}/`)
      .filter((url) => URL.canParse(url));
    fc.assert(fc.property(listed, listed, (a, b) => {
      for (const slug of [instanceSlug(a), instanceSlug(b)]) {
        assert.match(slug, /^[a-z0-9][a-z0-9._-]*$/);
        assert.ok(!slug.endsWith(".json"), slug);
        assert.ok(slug.length <= 100, slug);
      }
      // The list refuses two entries of one kind on one host and port; any other two get two slugs.
      if (hostOf(a) !== hostOf(b)) assert.notEqual(instanceSlug(a), instanceSlug(b), `${a} and ${b}`);
    }), { seed: 14, numRuns: 2000 });
  });
});

describe("instance pages in the site build", () => {
  const listed = ["http://127.0.0.1:8443", "http://127.0.0.1/8443.json", "https://a-8443.example", "https://a.example:8443"];

  /** Builds a site of the listed cobalt instances in this order and returns its instance files. */
  async function build(order: string[]): Promise<{ files: string[]; badges: string[]; pages: Map<string, string> }> {
    const folder = temporaryDirectory();
    try {
      const entries = order.map((api) => {
        const url = new URL(api);
        return cobaltEntry(hostOf(api), { api_url: api, protocol: url.protocol.slice(0, -1), name: `Instance at ${api}` });
      });
      const listFile = join(folder.dir, "list.json");
      const instancesFile = join(folder.dir, "instances.json");
      writeFileSync(listFile, JSON.stringify({ title: "Slugs", instances: order.map((api) => ({ kind: "cobalt", api })) }));
      writeFileSync(instancesFile, JSON.stringify(entries));
      const output = join(folder.dir, "site");
      const result = await buildSite({ listFile, instancesFile, output });
      assert.equal(result.code, 0, result.stderr);
      const root = join(output, "instances", "cobalt");
      const files = readdirSync(root).sort();
      // Each instance's page names it: the map says which listed URL lives at which slug.
      const pages = new Map<string, string>();
      for (const file of files.filter((name) => !name.endsWith(".json"))) {
        const html = readText(join(root, file, "index.html"));
        const api = listed.find((url) => html.includes(`Instance at ${url}<`));
        assert.ok(api, `the page at ${file} names one of the listed instances`);
        pages.set(api, file);
        assert.ok(existsSync(join(root, `${file}.json`)), `${file} has its JSON beside it`);
        for (const badge of ["uptime", "score"]) assert.ok(existsSync(join(output, "badges", "cobalt", file, `${badge}.json`)), `${file} has its ${badge} badge`);
      }
      const badges = readdirSync(join(output, "badges", "cobalt")).sort();
      return { files, badges, pages };
    } finally {
      folder.remove();
    }
  }

  it("gives every instance its own page, JSON and badges, whatever the list's order", async () => {
    const first = await build(listed);
    assert.equal(first.pages.size, listed.length);
    assert.equal(new Set(first.pages.values()).size, listed.length);
    const reordered = await build([...listed].reverse());
    assert.deepEqual(reordered.files, first.files);
    assert.deepEqual(reordered.badges, first.badges);
    assert.deepEqual([...reordered.pages].sort(), [...first.pages].sort());
  });
});
