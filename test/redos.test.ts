// Linear time on instance text: every regular expression in the probe and the site is read
// from the source with a real parser and checked by a ReDoS checker (recheck), and the worst
// inputs once found by hand get correct answers from the code that replaced the regexes.
// (How fast those inputs are is measured by `npm run bench -- --only hostile`.)
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { globSync, readFileSync } from "node:fs";
import { stripTypeScriptTypes } from "node:module";
import { join } from "node:path";
import * as acorn from "acorn";
import * as walk from "acorn-walk";
import { checkSync } from "recheck";
import { htmlToText, pageIdentity } from "../scripts/lib/html.ts";
import { mastodonVersion } from "../scripts/probes/mastodon.ts";
import { ROOT } from "./support/cli.ts";

/**
 * recheck's limits as step counts only, with a fixed seed: its time limits would let a busy
 * machine turn "safe" into "unknown", or a slow attack attempt into "vulnerable".
 */
const DETERMINISTIC = { randomSeed: 14, timeout: null, attackTimeout: null, incubationTimeout: null, recallTimeout: null, seedingTimeout: null };

/** Code that runs on what instances send: the probe, and the site that renders its output. */
const SOURCES = ["scripts/**/*.ts", "site/**/*.js"];

interface Found {
  where: string;
  pattern?: string;
  flags?: string;
}

function regexesIn(file: string): Found[] {
  const source = readFileSync(join(ROOT, file), "utf8");
  const code = file.endsWith(".ts") ? stripTypeScriptTypes(source, { mode: "strip" }) : source;
  const found: Found[] = [];
  walk.full(acorn.parse(code, { ecmaVersion: "latest", sourceType: "module", locations: true }), (node) => {
    const where = `${file}:${node.loc?.start.line}`;
    if (node.type === "Literal" && "regex" in node && node.regex) found.push({ where, ...node.regex });
    // A pattern built at run time cannot be checked here: there must be none.
    if ((node.type === "NewExpression" || node.type === "CallExpression") && node.callee.type === "Identifier" && node.callee.name === "RegExp") found.push({ where });
  });
  return found;
}

describe("regular expressions", () => {
  const files = SOURCES.flatMap((pattern) => globSync(pattern, { cwd: ROOT })).filter((file) => !file.includes("node_modules"));
  const found = files.flatMap(regexesIn);

  it("are found in the sources", () => {
    assert.ok(files.length > 30, `${files.length} files`);
    assert.ok(found.length > 50, `${found.length} regular expressions`);
  });

  it("are all literals, so that each one is checked", () => {
    assert.deepEqual(found.filter((regex) => regex.pattern === undefined).map((regex) => regex.where), []);
  });

  it("have no super-linear backtracking (recheck)", () => {
    const unsafe = found.filter((regex) => regex.pattern !== undefined).flatMap((regex) => {
      const diagnosis = checkSync(regex.pattern!, regex.flags!, DETERMINISTIC);
      return diagnosis.status === "safe" ? [] : [`${regex.where} /${regex.pattern}/${regex.flags}: ${diagnosis.status}${diagnosis.status === "vulnerable" ? ` (${diagnosis.complexity.summary}, attack ${diagnosis.attack.pattern})` : ""}`];
    });
    assert.deepEqual(unsafe, []);
  });
});

describe("the worst inputs found by hand", () => {
  it("a front-end page of 65 KB of unclosed application-name meta tags is one tag without content", () => {
    const hostile = "<meta name=application-name ".repeat(2400);
    assert.deepEqual(pageIdentity(hostile), { applicationName: null, title: null });
    // Closed, it is the page's first application-name: it names nothing, and the title still counts.
    assert.deepEqual(pageIdentity(`${hostile}><meta name="application-name" content="cobalt"><title>cobalt</title>`), { applicationName: "", title: "cobalt" });
  });

  it("a description of 200 KB of '<script' has no text, and text after it is still read", () => {
    const hostile = "<script".repeat(30_000);
    assert.equal(htmlToText(hostile, 2000, 1 << 20), null);
    assert.equal(htmlToText(`${hostile}></script><p>Hello <b>there</b></p>`, 2000, 1 << 20), "Hello there");
  });

  it("a version of 100,000 digits has no version number in it, and real ones are found", () => {
    assert.equal(mastodonVersion(`${"0".repeat(100_000)}x`), null);
    assert.equal(mastodonVersion("v4.2.0-beta1"), "4.2.0-beta1");
    assert.equal(mastodonVersion("4.3.0+glitch"), "4.3.0");
  });
});
