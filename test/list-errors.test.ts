// Bad lists are refused clearly: the real CLI prints one message naming the file, the line
// and column, the entry and the fix, exits non-zero, and writes nothing.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runScript } from "./support/cli.ts";
import { temporaryDirectory } from "./support/loopback.ts";

/** A list's text with the given instances, one per line, and an optional probe section. */
function listText(instances: string[], probe?: string): string {
  return [
    "{",
    '  "title": "broken list",',
    ...(probe ? [`  "probe": ${probe},`] : []),
    '  "instances": [',
    instances.map((line) => `    ${line}`).join(",\n"),
    "  ]",
    "}",
    "",
  ].join("\n");
}

const CASES: { name: string; text: string; expected: RegExp }[] = [
  {
    name: "a syntax error, with its line and column",
    text: listText(['{ "kind": "cobalt", "api": "https://a.example" },']),
    expected: /:5:3 \/: JSON syntax error: ValueExpected; fix the JSON/,
  },
  {
    name: "an unknown key",
    text: listText(['{ "kind": "cobalt", "api": "https://a.example", "colour": "red" }']),
    expected: /:4:53 \/instances\/0\/colour: unknown key "colour": remove it or fix its spelling/,
  },
  {
    name: "the same host twice in another case",
    text: listText(['{ "kind": "cobalt", "api": "https://a.example" }', '{ "kind": "cobalt", "api": "https://A.EXAMPLE" }']),
    expected: /:5:5 \/instances\/1: duplicate of \/instances\/0 \(both are cobalt at a\.example\): remove one of them/,
  },
  {
    name: "the same host twice with a trailing dot and the default port",
    text: listText(['{ "kind": "cobalt", "api": "https://a.example/" }', '{ "kind": "cobalt", "api": "https://a.example.:443" }']),
    expected: /:5:5 \/instances\/1: duplicate of \/instances\/0 \(both are cobalt at a\.example\)/,
  },
  {
    name: "an unsupported kind",
    text: listText(['{ "kind": "peertube", "url": "https://a.example" }']),
    expected: /:4:5 \/instances\/0: unsupported kind "peertube": use one of "cobalt", "mastodon"/,
  },
  {
    name: "a URL that is not http(s)",
    text: listText(['{ "kind": "cobalt", "api": "ftp://a.example" }']),
    expected: /:4:25 \/instances\/0\/api: must be an http:\/\/ or https:\/\/ URL, e.g. https:\/\/example\.com/,
  },
  {
    name: "a URL whose port does not exist",
    text: listText(['{ "kind": "cobalt", "api": "https://a.example:99999" }']),
    expected: /:4:25 \/instances\/0\/api: "https:\/\/a\.example:99999" is not a valid URL: fix its host or port/,
  },
  {
    name: "a probe setting out of range",
    text: listText(['{ "kind": "cobalt", "api": "https://a.example" }'], '{ "timeoutMs": 5 }'),
    expected: /:3:14 \/probe\/timeoutMs: must be at least 500/,
  },
  {
    name: "an allowed address range that is not CIDR",
    text: listText(['{ "kind": "cobalt", "api": "https://a.example" }'], '{ "allowPrivateAddresses": ["localhost"] }'),
    expected: /:3:40 \/probe\/allowPrivateAddresses\/0: must be a CIDR range such as 127\.0\.0\.1\/32\n$/,
  },
  {
    name: "an API key variable outside INSTANCE_KEY_ (HOME would send the home directory as a key)",
    text: listText(['{ "kind": "cobalt", "api": "https://a.example", "apiKeyEnv": "HOME" }']),
    expected: /:4:53 \/instances\/0\/apiKeyEnv: must be INSTANCE_KEY_ followed by capital letters, digits and _ \(e\.g\. INSTANCE_KEY_EXAMPLE\): rename the environment variable \(and the repository secret\) to start with INSTANCE_KEY_\n$/,
  },
  {
    name: "an API key for an http:// API",
    text: listText(['{ "kind": "cobalt", "api": "http://a.example", "apiKeyEnv": "INSTANCE_KEY_A" }']),
    expected: /:4:52 \/instances\/0\/apiKeyEnv: the key would be sent unencrypted to "http:\/\/a\.example": use the API's https:\/\/ URL, or remove apiKeyEnv\n$/,
  },
  {
    name: "an API key for an http:// API on an address the list allows only because every address is allowed",
    text: listText(['{ "kind": "cobalt", "api": "http://127.0.0.1:9", "apiKeyEnv": "INSTANCE_KEY_A" }'], '{ "allowPrivateAddresses": true }'),
    expected: /:5:54 \/instances\/0\/apiKeyEnv: the key would be sent unencrypted to "http:\/\/127\.0\.0\.1:9"/,
  },
];

describe("a bad list", () => {
  let dir: string;
  let remove: () => void;
  before(() => ({ dir, remove } = temporaryDirectory()));
  after(() => remove());

  CASES.forEach(({ name, text, expected }, index) => {
    it(`is refused with one clear message for ${name}, and nothing is written`, async () => {
      const listFile = join(dir, `list-${index}.json`);
      const outFile = join(dir, `out-${index}.json`);
      writeFileSync(listFile, text);
      const { code, stdout, stderr } = await runScript("scripts/probe.ts", ["--list", listFile, "--out", outFile]);
      assert.notEqual(code, 0);
      assert.match(stderr, new RegExp(`^error: ${listFile.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} is not a valid list; nothing was probed or written\\.\\n`));
      assert.match(stderr, expected);
      // One problem, one message, and no stack trace.
      assert.equal(stderr.trim().split("\n").length, 2, stderr);
      assert.doesNotMatch(stderr, /\n\s+at /);
      assert.equal(stdout, "");
      assert.equal(existsSync(outFile), false);
    });
  });

  it("leaves no file behind in the output folder", () => {
    assert.deepEqual(readdirSync(dir).filter((name) => name.startsWith("out-")), []);
  });
});
