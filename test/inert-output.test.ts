// Text from instances (and from lists, and errors that quote them) is inert wherever a
// script prints it: the Actions runner obeys log lines that start with `::`, renders the
// job summary as Markdown, and reads step outputs and annotations from what we write.
// One sink per test: the log of every script, the job summary, step outputs, annotations.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeCobalt, type FakeCobalt } from "./support/cobalt-server.ts";
import { temporaryDirectory, writeJson } from "./support/loopback.ts";
import { ROOT, runScript } from "./support/cli.ts";
import { cobaltEntry } from "./support/output-entries.ts";
import { readOutputs } from "./support/workflow-runner.ts";
import { inert, LineEscaper, setOutput, summaryText } from "../scripts/lib/log.ts";

/** What the runner would obey: lines that start, after whitespace, with `::` or `##[`. */
function commandLines(output: string): string[] {
  return output.split(/\r\n|\r|\n/).filter((line) => /^[\s\x00-\x1f\x7f-\x9f]*(::|##\[)/.test(line));
}

const INJECTION = "10.1\n::warning title=Injected by instance::…\n::add-mask::main";
const tmp = temporaryDirectory();
after(() => tmp.remove());

describe("the log", () => {
  it("escapes a line that would start a workflow command, however the text is split into writes", () => {
    assert.deepEqual(commandLines(inert(INJECTION)), []);
    assert.deepEqual(commandLines(inert("a\r::stop-commands::x\n \t##[add-mask]y\u2028::error::z")), []);
    const escaper = new LineEscaper();
    const written = ["ok\n  ", ":", ":warning::split\n", "#", "#[error]split\n", "a :: b stays"].map((piece) => escaper.escape(piece)).join("");
    assert.deepEqual(commandLines(written), []);
    assert.match(written, /a :: b stays$/, "text that cannot start a command is unchanged");
    assert.equal(inert("probed 3/3\nall fine"), "probed 3/3\nall fine");
  });

  it("is guarded in every script: each one escapes its output before it prints anything", () => {
    const scripts = readdirSync(join(ROOT, "scripts")).filter((name) => name.endsWith(".ts") && name !== "schema-types.ts");
    assert.ok(scripts.length >= 8);
    for (const name of scripts) assert.match(readFileSync(join(ROOT, "scripts", name), "utf8"), /^\s*guardOutput\(\);$/m, name);
  });

  describe("of the probe, the merge, the change report and the list check", () => {
    let hostile: FakeCobalt;
    const listFile = join(tmp.dir, "list.json");

    before(async () => {
      hostile = await startFakeCobalt({ generation: "v7", version: INJECTION, name: "::add-mask::main", outcomes: {} });
      writeJson(listFile, {
        title: "inert test",
        probe: { timeoutMs: 30_000, allowPrivateAddresses: ["127.0.0.1/32"] },
        services: { youtube: "https://www.youtube.com/watch?v=jNQXAC9IVRw" },
        instances: [{ kind: "cobalt", api: hostile.url }],
      });
    });
    after(() => hostile.close());

    it("probe: an instance's name and version print no command", async () => {
      const out = join(tmp.dir, "probed.json");
      const run = await runScript("scripts/probe.ts", ["--list", listFile, "--out", out], { GITHUB_ACTIONS: "true" });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /add-mask::main/, "the name is printed, as text");
      assert.deepEqual(commandLines(run.stdout + run.stderr), []);
    });

    it("merge: a forged shard output that quotes commands in its JSON prints none", async () => {
      const dir = join(tmp.dir, "forged");
      mkdirSync(dir);
      writeFileSync(join(dir, "instances-shard-1-of-1.json"), '[{"kind": \n::add-mask::main\n::warning::forged');
      const run = await runScript("scripts/merge.ts", ["--list", listFile, "--from", dir, "--previous", join(tmp.dir, "none.json"), "--out", join(tmp.dir, "merged.json")]);
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, /cannot be read and is ignored/);
      assert.deepEqual(commandLines(run.stdout + run.stderr), []);
    });

    it("changes: a name with line breaks in the data prints no command in the change table", async () => {
      const before = join(tmp.dir, "before.json");
      const after = join(tmp.dir, "after.json");
      writeJson(before, [cobaltEntry("a.example")]);
      writeJson(after, [cobaltEntry("a.example", { name: INJECTION, api_online: false, offline_reason: "timeout" })]);
      writeJson(join(tmp.dir, "changes-list.json"), { title: "t", instances: [{ kind: "cobalt", api: "https://a.example" }] });
      const run = await runScript("scripts/changes.ts", ["--before", before, "--after", after, "--list", join(tmp.dir, "changes-list.json")]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /went down/);
      assert.deepEqual(commandLines(run.stdout + run.stderr), []);
    });

    it("check-list: a key that quotes a command is refused without running it", async () => {
      const file = join(tmp.dir, "bad-list.json");
      writeFileSync(file, JSON.stringify({ title: "t", instances: [{ kind: "cobalt", api: "https://a.example", "x\n::add-mask::y": 1 }] }));
      const run = await runScript("scripts/check-list.ts", [file]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /unknown key/);
      assert.deepEqual(commandLines(run.stdout + run.stderr), []);
    });
  });
});

describe("annotations", () => {
  it("carry a message and properties that quote commands as one annotation, on one line", async () => {
    const file = join(tmp.dir, "annotated-list.json");
    writeFileSync(file, JSON.stringify({ title: "t", instances: [{ kind: "cobalt", api: "https://a.example", "x\n::add-mask::y,title=z": 1 }] }));
    const run = await runScript("scripts/check-list.ts", [file], { GITHUB_ACTIONS: "true" });
    assert.equal(run.code, 1);
    const commands = commandLines(run.stdout + run.stderr);
    assert.equal(commands.length, 1, commands.join("\n"));
    assert.match(commands[0]!, /^::error file=[^,:]+annotated-list\.json,line=1,col=\d+,title=Invalid list::\/instances\/0\/x%0A::add-mask::y,title=z: unknown key/);
  });
});

describe("the job summary", () => {
  it("shows a value that closes the table, adds blank lines, headings, images and mentions as plain text inside its cell", async () => {
    const value = "</td></tr></table>\n\n# Injected heading\n\n![x](https://evil.example/x.png) [click](https://evil.example) @octocat **bold** `code` | cell";
    const before = join(tmp.dir, "summary-before.json");
    const after = join(tmp.dir, "summary-after.json");
    const summary = join(tmp.dir, "summary.md");
    writeFileSync(summary, "");
    writeJson(before, [cobaltEntry("a.example")]);
    writeJson(after, [cobaltEntry("a.example", { name: value, api_online: false, offline_reason: "timeout" })]);
    writeJson(join(tmp.dir, "summary-list.json"), { title: "t", instances: [{ kind: "cobalt", api: "https://a.example" }] });
    const run = await runScript("scripts/changes.ts", ["--before", before, "--after", after, "--list", join(tmp.dir, "summary-list.json")], { GITHUB_STEP_SUMMARY: summary });
    assert.equal(run.code, 0, run.stderr);
    const markdown = readFileSync(summary, "utf8");
    const table = markdown.slice(markdown.indexOf("<table>"), markdown.indexOf("</table>") + "</table>".length);
    assert.ok(table.includes(summaryText(value)), markdown);
    assert.ok(!/\n/.test(table), "the table is one line: no value can end its HTML block");
    assert.equal(markdown.split("</table>").length, 2, "the value's </table> is text");
    assert.deepEqual(markdown.split("\n").filter((line) => /^ {0,3}#/.test(line)), [], "no Markdown heading");
    for (const markup of ["![", "](", "@octocat", "**", "`", "|"]) assert.ok(!table.includes(markup), markup);
  });
});

describe("step outputs", () => {
  it("hold a value with line breaks as that one output, never as another", () => {
    const file = join(tmp.dir, "output.txt");
    writeFileSync(file, "");
    setOutput("changed", "true\nkeepalive=true\nprobe<<EOF");
    setOutput("probe", "false", file);
    setOutput("changed", "true\nkeepalive=true", file);
    assert.deepEqual(readOutputs(file), { probe: "false", changed: "true\nkeepalive=true" });
    assert.throws(() => setOutput("a=b", "x", file), /not a step output name/);
  });

  it("of the plan are the four it declares, whatever the list holds", async () => {
    const dir = join(tmp.dir, "plan");
    mkdirSync(join(dir, "data"), { recursive: true });
    writeJson(join(dir, "data/list.json"), { title: "t", repository: "https://github.com/upstream/list\n::add-mask::x", probe: { shards: "2\nprobe=true" }, instances: [] });
    const output = join(dir, "output.txt");
    writeFileSync(output, "");
    const run = await runScript(join(ROOT, "scripts/plan-run.ts"), [], { GITHUB_ACTIONS: "true", GITHUB_OUTPUT: output, GITHUB_EVENT_NAME: "schedule", GITHUB_REPOSITORY: "someone/fork" }, dir);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(readOutputs(output), { shards: "1", matrix: '["1/1"]', probe: "false", keepalive: "false" });
    assert.deepEqual(commandLines(run.stdout).map((line) => line.split("::")[1]), ["notice file=data/list.json,title=Unedited list"]);
  });
});
