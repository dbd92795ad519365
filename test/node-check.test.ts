// On a Node.js older than the project needs, `npm install` and every `npm run …` say so in
// one line, with the fix, and exit non-zero; checked with a real older Node.js and its own
// npm, when the machine has one.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { ROOT, runCommand, runScript, type CliResult } from "./support/cli.ts";
import { temporaryDirectory } from "./support/loopback.ts";

const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string }; scripts: Record<string, string>; dependencies: unknown };
const MINIMUM = PACKAGE.engines.node.replace(/^>=\s*/, "").split(".").map(Number);
const WANTED = readFileSync(join(ROOT, ".nvmrc"), "utf8").trim();
const EXPLANATION = new RegExp(`^This project needs Node\\.js ${WANTED} \\(\\.nvmrc; [\\d.]+ or later works\\) and found Node\\.js (v[\\d.]+): run \`nvm use\`, or \`npm install --prefix \\.tools node@${WANTED}\` and put \\.tools/node_modules/\\.bin first on PATH`, "m");

function tooOld(version: string): boolean {
  const found = version.replace(/^v/, "").split(".").map(Number);
  for (let i = 0; i < MINIMUM.length; i++) if (found[i] !== MINIMUM[i]) return (found[i] ?? 0) < MINIMUM[i]!;
  return false;
}

/** The first Node.js on the machine (on PATH or in the usual places) older than the project needs, with an npm beside it. */
function olderNode(): { node: string; npm: string; version: string } | undefined {
  const candidates = [...(process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, "node")), "/usr/bin/node", "/usr/local/bin/node"];
  for (const node of new Set(candidates)) {
    if (!existsSync(node) || !existsSync(join(dirname(node), "npm"))) continue;
    try {
      const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
      if (tooOld(version)) return { node, npm: join(dirname(node), "npm"), version };
    } catch {
      // not a working node: try the next
    }
  }
  return undefined;
}

const old = olderNode();
const noOldNode = old ? false : `no Node.js older than ${MINIMUM.join(".")} with its npm on this machine (looked on PATH, /usr/bin, /usr/local/bin): nothing to check`;

/** Runs the old Node's own npm in `cwd`, with only the old Node on PATH and no settings of the npm that runs this test. */
function oldNpm(args: string[], cwd: string): Promise<CliResult> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  return runCommand(old!.npm, args, { ...env, PATH: [dirname(old!.node), "/usr/bin", "/bin"].join(delimiter), npm_config_update_notifier: "false" }, cwd);
}

function assertExplained(result: CliResult, command: string): void {
  assert.notEqual(result.code, 0, `${command} exits non-zero`);
  const match = EXPLANATION.exec(result.stderr);
  assert.ok(match, `${command} explains itself in one line:\n${result.stderr}`);
  assert.equal(match[1], old!.version, "the line names the version found");
  assert.doesNotMatch(result.stderr + result.stdout, /^\s+at |ERR_UNKNOWN_FILE_EXTENSION|TypeError|SyntaxError/m, `${command}: no stack trace`);
}

describe("the Node.js check", () => {
  it("says nothing and lets the command run on the Node.js that runs the suite", async () => {
    const result = await runScript("scripts/check-node.cjs", []);
    assert.deepEqual(result, { code: 0, stdout: "", stderr: "" });
  });

  describe(`on an older Node.js (${old?.version ?? "none found"})`, { skip: noOldNode }, () => {
    // A copy of the project's package.json without dependencies, so `npm install` needs no
    // network and leaves the checkout alone; everything else, scripts included, is as is.
    const { dir: project, remove } = temporaryDirectory();
    after(remove);
    before(() => {
      writeFileSync(join(project, "package.json"), JSON.stringify({ ...PACKAGE, dependencies: {}, devDependencies: {} }));
      copyFileSync(join(ROOT, ".nvmrc"), join(project, ".nvmrc"));
      mkdirSync(join(project, "scripts"));
      copyFileSync(join(ROOT, "scripts/check-node.cjs"), join(project, "scripts/check-node.cjs"));
    });

    it("npm install explains itself and fails", async () => {
      assertExplained(await oldNpm(["install", "--no-audit", "--no-fund", "--offline"], project), "npm install");
    });

    for (const name of Object.keys(PACKAGE.scripts).filter((name) => !/^(pre|post)/.test(name))) {
      it(`npm run ${name} explains itself and fails`, async () => {
        assertExplained(await oldNpm(["run", name, "--", "--help"], project), `npm run ${name}`);
      });
    }
  });
});
