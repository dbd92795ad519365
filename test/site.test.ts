// The published site, built by the real Eleventy command from a real probe run against
// loopback instances (some of them hostile), served under a path prefix like a fork's
// Pages site: what it publishes, what it links, and that no instance's text becomes markup.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PAYLOADS, SERVICES, buildSite, probedSiteData, readText, type SiteData } from "./support/site-data.ts";
import { temporaryDirectory, writeJson } from "./support/loopback.ts";
import { ROOT } from "./support/cli.ts";
import { filesUnder, linkTargets, startTags, withoutValues } from "./support/markup.ts";
import { assertValidOutput, type Instance } from "../scripts/lib/run.ts";
import type { CobaltInstance } from "../scripts/schema-types.ts";
import { validateServiceInstances } from "../scripts/lib/schemas.ts";

const PREFIX = "/test-list/";

describe("the site built from a probe run", () => {
  let data: SiteData;
  const output = temporaryDirectory();
  const site = (path: string) => join(output.dir, path);
  let entries: Instance[];

  before(async () => {
    data = await probedSiteData();
    assert.equal(data.probe.code, 0, data.probe.stderr);
    // Payloads the schema lets through in places the probe fills from the instance's answers.
    entries = JSON.parse(readText(data.instancesFile));
    for (const entry of entries) {
      if (entry.kind === "cobalt" && entry.name === PAYLOADS.img) Object.assign(entry, { frontEnd: PAYLOADS.attribute, commit: PAYLOADS.attribute, branch: PAYLOADS.img });
      if (entry.kind === "cobalt" && entry.name === "Down cobalt") entry.offline_reason = PAYLOADS.img;
      if (entry.kind === "mastodon" && entry.name === PAYLOADS.script) {
        entry.software.name = PAYLOADS.img;
        entry.contact.email = PAYLOADS.attribute;
        entry.extended_description = PAYLOADS.script;
        entry.rules = [{ text: PAYLOADS.img, hint: PAYLOADS.attribute }];
      }
    }
    // The instance that is down goes first in the data, so the tables' order (working first)
    // and the published files' order (as in the data) can be told apart.
    entries.unshift(...entries.splice(entries.findIndex((entry) => entry.name === "Down cobalt"), 1));
    assertValidOutput(entries);
    writeFileSync(data.instancesFile, `${JSON.stringify(entries, null, 2)}\n`);
    const build = await buildSite({ listFile: data.listFile, instancesFile: data.instancesFile, output: output.dir });
    assert.equal(build.code, 0, build.stderr);
  });
  after(async () => {
    await data?.close();
    output.remove();
  });

  it("publishes /instances.json byte for byte, one file per kind, and the schemas", () => {
    assert.equal(readText(site("instances.json")), readText(data.instancesFile));
    for (const kind of ["cobalt", "mastodon"]) {
      assert.deepEqual(JSON.parse(readText(site(`${kind}.json`))), entries.filter((entry) => entry.kind === kind));
    }
    for (const file of readdirSync(join(ROOT, "schemas"))) {
      const published = JSON.parse(readText(site(`schemas/${file}`)));
      const original = JSON.parse(readText(join(ROOT, "schemas", file)));
      // The same schema, its $id made absolute under the site's URL so $refs resolve there.
      assert.deepEqual({ ...published, $id: undefined }, { ...original, $id: undefined });
      assert.equal(published.$id, `https://lists.example/test-list/schemas/${original.$id}`);
    }
  });

  it("says the data is current when it is: /status.json not stale, every page's out-of-date warning hidden, no demo banner", () => {
    const status = JSON.parse(readText(site("status.json"))) as { stale: boolean; demo: boolean; checked_at: string };
    assert.deepEqual({ stale: status.stale, demo: status.demo }, { stale: false, demo: false });
    assert.equal(status.checked_at, entries.map((entry) => entry.checked_at).sort().at(-1));
    for (const path of ["index.html", "api/index.html", "versions/index.html"]) {
      const html = readText(site(path));
      assert.match(html, /<p class="banner stale" role="alert" data-stale-after="120" hidden>/, path);
      assert.doesNotMatch(html, /class="banner demo"/, path);
    }
  });

  it("lists every instance in one table per kind, offline ones marked, each row's services summed up in words", () => {
    const home = readText(site("index.html"));
    const tableOf = (kind: string) => {
      const start = home.indexOf(`<table class="instances" data-kind="${kind}"`);
      return home.slice(start, home.indexOf("</table>", start));
    };
    const cobaltTable = tableOf("cobalt");
    const mastodonTable = tableOf("mastodon");
    assert.equal([...cobaltTable.matchAll(/<tr(?: class="[^"]*")?><th scope="row">/g)].length, 4);
    assert.equal([...mastodonTable.matchAll(/<tr(?: class="[^"]*")?><th scope="row">/g)].length, 2);
    // Working instances first; the one that is down last, visibly offline.
    assert.ok(cobaltTable.indexOf("Working cobalt") < cobaltTable.indexOf("Down cobalt"));
    assert.match(cobaltTable, /<tr class="offline"><th scope="row"><a href="\/test-list\/instances\/cobalt\/[^"]+">Down cobalt<\/a>/);
    // Three of the four services work; the one that does not is named, as its owner writes it.
    assert.match(cobaltTable, /Working cobalt<\/a>.*?<td>3 of 4<small class="sub">not YouTube<\/small><\/td>/);
    assert.match(cobaltTable, /Protected cobalt<\/a>.*?<td><span class="none">–<\/span><small class="sub">none tested<\/small><\/td>/);
    // The down instance's reason was replaced by a payload above: shown as text, explained as an unknown code.
    assert.match(cobaltTable, /<span class="no">offline<\/span><small class="sub">The instance reported &quot;&lt;img src=x [^<]+<\/small>/);
    const ids = [...home.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
    assert.equal(new Set(ids).size, ids.length, "every id on the page is unique");
    // Each kind is one link from the top, with its counts.
    assert.match(home, /<a href="#cobalt"><b>cobalt instances<\/b> <span>4 listed, 3 online<\/span><\/a>/);
    assert.match(home, /<a href="#mastodon"><b>Mastodon servers<\/b> <span>2 listed, 2 online<\/span><\/a>/);
    assert.match(home, /<meta name="description" content="Instances on loopback, for the site tests.">/);
    assert.match(home, /<link rel="canonical" href="https:\/\/lists.example\/test-list\/">/);
    // The browser's index of every row: the same instances, in the same order as the table.
    const index = JSON.parse(readText(site("assets/list-cobalt.json")));
    assert.deepEqual(index.services, Object.keys(SERVICES).sort());
    assert.deepEqual(index.rows.map((row: { n: string }) => row.n), ["Working cobalt", "Protected cobalt", PAYLOADS.img, "Down cobalt"]);
  });

  it("gives each instance a page and its JSON, and each service its ranking", () => {
    const pages = filesUnder(site("instances")).filter((file) => file.endsWith(".json"));
    assert.equal(pages.length, entries.length);
    for (const file of pages) assert.ok(entries.some((entry) => JSON.stringify(entry) === JSON.stringify(JSON.parse(readText(site(`instances/${file}`))))), file);
    const working = entries.find((entry) => entry.name === "Working cobalt") as CobaltInstance;
    const pageJson = pages.find((file) => JSON.parse(readText(site(`instances/${file}`))).name === "Working cobalt")!;
    const page = readText(site(`instances/${pageJson.replace(/\.json$/, "")}/index.html`));
    assert.match(page, /YouTube refused this instance&#39;s IP/);
    assert.match(page, /Reliability/);
    // The summary names the exception rather than every service that works.
    assert.match(page, /<dt>Works for<\/dt><dd>every tested service but YouTube<\/dd>/);
    // The status rule is written once, in the key's description, which the page links.
    const statusKey = /\(<a href="\/test-list\/api\/keys\/#(cobalt-key-history-status)">how status works<\/a>\)/.exec(page);
    assert.ok(statusKey, "the status links its rule");
    assert.match(readText(site("api/keys/index.html")), new RegExp(`<dt id="${statusKey[1]}"><code>history\\.status</code>`));
    assert.match(page, /<figure class="uptime-bar" data-first="\d{4}-\d{2}-\d{2}" data-checks="\d+" data-cells="[\d/ -]+">/, "the bar's figures, drawn in the browser");
    assert.match(page, /<script type="module" src="[^"]*\/assets\/instance\.js"><\/script>/, "one script, which draws and fills in the rest");
    // The summary first (status, score, the web app), then reliability, the services, and last the raw data.
    const order = ['<section class="summary"', "<dt>Score</dt>", 'class="use-link"', 'id="history-heading"', "<h2>Services</h2>", 'id="raw-heading"', 'class="json-link"'];
    const at = order.map((marker) => page.indexOf(marker));
    assert.ok(at.every((position, index) => position > 0 && (index === 0 || position > at[index - 1]!)), `${order.join(" < ")}: ${at.join(", ")}`);
    assert.ok(page.indexOf("<dt>Score</dt>") < page.indexOf("<h1>") + 2000, "the score is on the first screen");

    const tiktok = JSON.parse(readText(site("services/tiktok.json")));
    assert.equal(tiktok.service, "tiktok");
    assert.equal(tiktok.test_url, SERVICES.tiktok);
    assert.equal(tiktok.tested, 3, "the instances that answered a tiktok test (the protected one could not be tested)");
    assert.deepEqual(tiktok.instances.map((instance: { api_url: string; page: string }) => [instance.api_url, instance.page.startsWith("https://lists.example/test-list/instances/cobalt/")]), [[working.api_url, true]]);
    assert.equal(tiktok.instances[0].pass_24h, 100);
    assert.ok(validateServiceInstances({ ...tiktok }), JSON.stringify(validateServiceInstances.errors));
    // What an app needs to fail over, from the entry it was built from.
    const { open, needs_turnstile, needs_api_key, cors, api_generation, last_pass } = tiktok.instances[0];
    assert.deepEqual({ open, needs_turnstile, needs_api_key, cors, api_generation, last_pass }, { open: true, needs_turnstile: false, needs_api_key: false, cors: working.cors, api_generation: working.api_generation, last_pass: working.history?.services?.tiktok?.last_pass ?? working.checked_at });
    assert.ok(Date.parse(tiktok.generated_at) >= Date.parse(working.checked_at), "built after the check");
    assert.deepEqual(JSON.parse(readText(site("services/youtube.json"))).instances, [], "no instance passed the YouTube test");
    assert.match(readText(site("services/tiktok/index.html")), /Working cobalt/);
    assert.ok(existsSync(site("404.html")));
  });

  it("shows on /api/ the command that verifies a downloaded instances.json against this list's repository", () => {
    const api = readText(site("api/index.html"));
    assert.match(api, /<code>gh attestation verify instances\.json --repo example\/test-list<\/code>/);
  });

  it("shows on /api/ how to embed a badge, with an example for a listed instance at the list's own address", () => {
    const api = readText(site("api/index.html"));
    const example = /<h2 id="badges">Badges<\/h2>[\s\S]*?<code>\[!\[uptime of ([^\]]+)\]\(https:\/\/img\.shields\.io\/endpoint\?url=([^)]+)\)\]\(([^)]+)\)<\/code>/.exec(api);
    assert.ok(example, "a Markdown example under the Badges heading");
    const badge = decodeURIComponent(example[2]!);
    assert.match(badge, /^https:\/\/lists\.example\/test-list\/badges\/[^/]+\/[^/]+\/uptime\.json$/);
    assert.ok(existsSync(site(badge.replace("https://lists.example/test-list/", ""))), `${badge} is published`);
    assert.equal(example[3], badge.replace("/badges/", "/instances/").replace(/uptime\.json$/, ""), "the image links the instance's page");
  });

  it("documents every key of every schema on the keys page", () => {
    const keys = readText(site("api/keys/index.html"));
    for (const file of ["cobalt.schema.json", "mastodon.schema.json", "common.schema.json"]) {
      const schema = JSON.parse(readText(join(ROOT, "schemas", file)));
      const properties = file === "common.schema.json" ? {} : schema.properties;
      for (const name of Object.keys(properties)) assert.match(keys, new RegExp(`<code>${name}</code>`), `${file}: ${name}`);
    }
    assert.match(keys, /<code>service_results\.&lt;name&gt;\.error<\/code>/);
    assert.match(keys, /<code>history\.uptime\.24h<\/code>/);
    // Descriptions write code as `code`: the page shows it as code, and leads each key with its name.
    assert.doesNotMatch(keys, /`/);
    assert.match(keys, /The kind of instance: always <code>cobalt<\/code> here\./);
    assert.match(keys, /<dt id="cobalt-[^"]+"><code>api_online<\/code> <span class="type">boolean<\/span>/);
  });

  it("links only inside its path prefix or to http(s) addresses", () => {
    for (const file of filesUnder(output.dir).filter((name) => name.endsWith(".html"))) {
      for (const target of linkTargets(readText(site(file)))) {
        assert.ok(target.startsWith(PREFIX) || target.startsWith("#") || /^https?:\/\//.test(target), `${file}: ${target}`);
      }
    }
  });

  it("renders every payload an instance sent as text, never as markup", () => {
    const payloadShown = { script: 0, img: 0, attribute: 0 };
    for (const file of filesUnder(output.dir).filter((name) => /\.(html|xml)$/.test(name))) {
      const text = readText(site(file));
      for (const tag of startTags(text).map(withoutValues)) {
        assert.doesNotMatch(tag, /\son[a-z]+\s*=/i, `${file}: an event handler attribute in ${tag}`);
        if (/^<script/i.test(tag)) assert.equal(tag, '<script type="" src="">', `${file}: a script that is not the site's own`);
      }
      for (const target of linkTargets(text)) assert.doesNotMatch(target, /^\s*javascript:/i, file);
      assert.ok(!text.includes("alert(\"xss") && !text.includes("alert('xss"), `${file}: a payload survived unescaped`);
      if (text.includes("&lt;script&gt;alert(&quot;xss-script&quot;)&lt;/script&gt;")) payloadShown.script++;
      if (text.includes("&lt;img src=x onerror=alert(&quot;xss-img&quot;)&gt;")) payloadShown.img++;
      if (text.includes("&quot; onmouseover=&quot;alert(&#39;xss-attr&#39;)&quot; x=&quot;")) payloadShown.attribute++;
    }
    // The payloads were on the pages (as text), so the checks above had something to catch.
    assert.ok(payloadShown.script > 0 && payloadShown.img > 0 && payloadShown.attribute > 0, JSON.stringify(payloadShown));
  });

  it("refuses data that fails the schema, naming the file, the entry and the fix", async () => {
    const bad = join(data.dir, "bad.json");
    writeJson(bad, entries.map((entry) => (entry.name === "Working cobalt" ? { ...entry, frontend_url: PAYLOADS.javascriptUrl } : entry)));
    const result = await buildSite({ listFile: data.listFile, instancesFile: bad, output: join(data.dir, "bad-site") });
    assert.notEqual(result.code, 0);
    assert.ok(result.stderr.includes(`${bad} does not match schemas/instances.schema.json`), result.stderr);
    assert.match(result.stderr, /\/\d\/frontend_url \(cobalt http:\/\/127\.0\.0\.1:\d+\): /);
    assert.match(result.stderr, /npm run probe/);
    assert.ok(!existsSync(join(data.dir, "bad-site", "instances.json")), "nothing published");
  });
});

describe("building the site from bad or missing data", () => {
  const folder = temporaryDirectory();
  after(() => folder.remove());
  const listFile = join(ROOT, "data", "list.json");

  it("builds an empty list when no probe has run yet", async () => {
    const result = await buildSite({ listFile, instancesFile: join(folder.dir, "missing.json"), output: join(folder.dir, "empty") });
    assert.equal(result.code, 0, result.stderr);
    assert.match(readText(join(folder.dir, "empty", "index.html")), /No instance has been checked yet/);
    assert.equal(readText(join(folder.dir, "empty", "instances.json")), "[]\n");
  });

  it("refuses a file that is not JSON", async () => {
    const broken = join(folder.dir, "broken.json");
    writeFileSync(broken, "[{");
    const result = await buildSite({ listFile, instancesFile: broken, output: join(folder.dir, "broken") });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /broken\.json: not valid JSON/);
  });

  it("documents a key added to a schema without any other change", async () => {
    const schemas = join(folder.dir, "schemas");
    cpSync(join(ROOT, "schemas"), schemas, { recursive: true });
    const cobalt = JSON.parse(readText(join(schemas, "cobalt.schema.json")));
    cobalt.properties.zz_new_key = { description: "A key added for this test.", type: ["string", "null"] };
    writeJson(join(schemas, "cobalt.schema.json"), cobalt);
    const result = await buildSite({ listFile, instancesFile: join(folder.dir, "missing.json"), output: join(folder.dir, "keys"), env: { SCHEMAS_DIR: schemas } });
    assert.equal(result.code, 0, result.stderr);
    assert.match(readText(join(folder.dir, "keys", "api", "keys", "index.html")), /<code>zz_new_key<\/code> <span class="type">string or null<\/span>[\s\S]*A key added for this test\./);
  });
});
