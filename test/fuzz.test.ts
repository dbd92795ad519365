// Property-based fuzzing of everything an instance sends: generated hostile instances of
// both kinds (test/support/fuzz-answers.ts) are served on loopback beside an honest cobalt
// and an honest Mastodon server, probed by the real probe CLI and built by the real site
// build. Every batch must: exit 0, write output the schema accepts, leave the honest
// instances exactly as they are when probed alone, build, and put no live markup on a page.
//
// `npm test` runs one small batch with a fixed seed. A long run:
//   npm run fuzz -- --runs 10000 [--batch 100] [--seed N]
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import fc from "fast-check";
import { fuzzCase, serveCase, type FuzzCase } from "./support/fuzz-answers.ts";
import { startFakeCobalt } from "./support/cobalt-server.ts";
import { mastodon4, startFakeMastodon } from "./support/mastodon-server.ts";
import { temporaryDirectory, writeJson, type Loopback } from "./support/loopback.ts";
import { filesUnder, liveMarkup } from "./support/markup.ts";
import { buildSite, readText } from "./support/site-data.ts";
import { runScript } from "./support/cli.ts";
import { assertValidOutput, type Instance } from "../scripts/lib/run.ts";
import { withoutVolatile } from "../scripts/lib/volatile.ts";

const options = parseArgs({
  args: process.argv.slice(2),
  options: { runs: { type: "string", default: "16" }, batch: { type: "string", default: "16" }, seed: { type: "string", default: "14" } },
  strict: false,
}).values;
const RUNS = Number(options.runs);
const BATCH = Number(options.batch);
const SEED = Number(options.seed);
const TEST_LINK = "https://www.youtube.com/watch?v=jNQXAC9IVRw";

interface Batch {
  cases: FuzzCase[];
  servers: Loopback[];
}

/** The honest instances' entries, without what changes from run to run. */
const comparable = (entry: Instance) => {
  const { history: _history, ...rest } = entry as Instance & { history?: unknown };
  return withoutVolatile(rest);
};

describe(`${RUNS} generated hostile instances, in batches of ${BATCH}, beside honest ones (seed ${SEED})`, () => {
  const folder = temporaryDirectory();
  let honest: Loopback[] = [];
  let alone: unknown[] = [];

  /** The list of a batch: the honest instances first, then every generated one. */
  function listFor(servers: Loopback[], cases: FuzzCase[]) {
    return {
      title: "fuzz",
      // A generated rate-limit header may ask for a long wait: the budget makes that a result, not a pause.
      probe: { timeoutMs: 10_000, budgetMs: 30_000, allowPrivateAddresses: ["127.0.0.1/32"] },
      services: { youtube: TEST_LINK },
      instances: [
        { kind: "cobalt", api: honest[0]!.url },
        { kind: "mastodon", url: honest[1]!.url },
        ...cases.map((fuzz, index) => fuzz.kind === "cobalt"
          ? { kind: "cobalt", api: servers[index]!.url, ...(fuzz.frontEnd ? { frontEnd: `${servers[index]!.url}/app/` } : {}) }
          : { kind: "mastodon", url: servers[index]!.url }),
      ],
    };
  }

  async function probeAndBuild(name: string, list: unknown): Promise<{ entries: Instance[]; site: string }> {
    const dir = join(folder.dir, name);
    mkdirSync(dir);
    const listFile = join(dir, "list.json");
    const instancesFile = join(dir, "instances.json");
    writeJson(listFile, list);
    const probe = await runScript("scripts/probe.ts", ["--list", listFile, "--out", instancesFile]);
    assert.equal(probe.code, 0, `${name}: the probe failed\n${probe.stderr.slice(-4000)}`);
    const entries = JSON.parse(readFileSync(instancesFile, "utf8")) as Instance[];
    assertValidOutput(entries);
    const site = join(dir, "site");
    const build = await buildSite({ listFile, instancesFile, output: site });
    assert.equal(build.code, 0, `${name}: the build failed\n${build.stderr.slice(-4000)}`);
    return { entries, site };
  }

  before(async () => {
    honest = [
      await startFakeCobalt({ cors: true, outcomes: { [TEST_LINK]: { status: "tunnel", bytes: 1000 } } }),
      await startFakeMastodon(mastodon4),
    ];
    const { entries } = await probeAndBuild("alone", listFor([], []));
    alone = entries.map(comparable);
  });
  after(async () => {
    await Promise.all(honest.map((server) => server.close()));
    folder.remove();
  });

  const batches = Math.ceil(RUNS / BATCH);
  for (let number = 0; number < batches; number++) {
    it(`batch ${number + 1} of ${batches}: exit 0, valid output, honest instances unchanged, a build without live markup`, async (t) => {
      const size = Math.min(BATCH, RUNS - number * BATCH);
      const batch: Batch = { cases: fc.sample(fuzzCase, { seed: SEED + number, numRuns: size }), servers: [] };
      try {
        batch.servers = await Promise.all(batch.cases.map(serveCase));
        const name = `batch-${number}`;
        // Kept beside the run's output, so a failing case can be replayed.
        writeFileSync(join(folder.dir, `${name}.cases.json`), JSON.stringify(batch.cases));
        const { entries, site } = await probeAndBuild(name, listFor(batch.servers, batch.cases));
        assert.equal(entries.length, 2 + size);
        assert.deepEqual(entries.slice(0, 2).map(comparable), alone, "the honest instances are as they are when probed alone");
        const live = filesUnder(site).filter((file) => /\.(html|xml)$/.test(file))
          .flatMap((file) => liveMarkup(readText(join(site, file))).map((problem) => `${file}: ${problem}`));
        assert.deepEqual(live, []);
        // How deep the batch reached: instances that answered well enough to be online, and services tested.
        const hostile = entries.slice(2) as (Instance & { api_online?: boolean; services_tested?: number })[];
        t.diagnostic(`online: ${hostile.filter((entry) => entry.api_online).length} of ${size}; cobalt services tested: ${hostile.reduce((sum, entry) => sum + (entry.services_tested ?? 0), 0)}`);
      } finally {
        await Promise.all(batch.servers.map((server) => server.close()));
      }
    });
  }
});
