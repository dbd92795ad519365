// `npm run bench`: starts simulated fleets on loopback, runs the real probe against them
// and prints the figures as a table and as JSON. Each section runs in its own child
// process so its peak memory is its own.
//
//   npm run bench                          every section at full size
//   npm run bench -- --only cobalt,mastodon   some sections (cobalt, mastodon, ipv6, site, hostile, history)
//   npm run bench -- --quick               small sizes and a short rate-limit window: a smoke run
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { guardOutput } from "./lib/log.ts";
import { PROBE_NODE_FLAGS } from "./lib/run.ts";
import { siteTargets, type SiteFigures } from "./bench/site.ts";

type Figures = Record<string, unknown>;

interface Result {
  section: string;
  /** Set when the section's process failed before reporting; the figures are then absent. */
  error?: string;
  figures?: Figures;
  peakRssMb?: number;
  /** Each target with whether this run met it. */
  targets?: { target: string; met: boolean }[];
}

interface Section {
  name: string;
  group: string;
  run(quick: boolean): Promise<Figures>;
  targets?(figures: Figures, peakRssMb: number): { target: string; met: boolean }[];
}

const MASTODON_SIZES = { full: [100, 1_000, 10_000], quick: [50, 200] };
/** Instances and days of history of the site builds. */
const SITE_SIZES = { full: [[1_000, 90], [10_000, 90]], quick: [[100, 7]] } as const;

/** Sections in scripts/bench/ modules that export `bench({ quick })`. */
const EXTERNAL = [
  { name: "hostile", file: "hostile.ts", targets: (f: Figures) => [
    { target: "a 128 KiB hostile front-end page < 50 ms of probe CPU", met: Number(f.frontEnd128KiBMs) < 50 },
    { target: "a 1 MiB hostile Mastodon description < 50 ms of probe CPU", met: Number(f.description1MiBMs) < 50 },
  ] },
  { name: "history", file: "history.ts", targets: (f: Figures) => [
    { target: "300 instances: < 10 MB a year of packed history (10–14 MB before)", met: Number(f.mbPerYearAt300) < 10 },
    { target: "10,000 instances: < 100 MB a year of packed history", met: Number(f.mbPerYearAt10000) < 100 },
  ] },
];

const SECTIONS: Section[] = [
  {
    name: "cobalt",
    group: "cobalt",
    async run(quick) {
      const { runCobaltFleet } = await import("./bench/cobalt-fleet.ts");
      return { ...await runCobaltFleet(quick ? { instances: 20, windowMs: 3_000, timeoutMs: 2_000 } : { instances: 300, windowMs: 60_000 }) };
    },
    targets: (f) => [
      { target: "wall ≤ 1.05 × lower bound", met: Number(f.ratio) <= 1.05 },
      { target: "no service failed by rate limiting", met: f.rateLimitedResults === 0 },
      { target: "≤ 1 429 per instance", met: Number(f.maxTooManyPerInstance) <= 1 },
      { target: "every result matches the fleet", met: f.allMatch === true },
    ],
  },
  ...[...MASTODON_SIZES.full, ...MASTODON_SIZES.quick].map((servers): Section => ({
    name: `mastodon-${servers}`,
    group: "mastodon",
    async run() {
      const { runMastodonFleet } = await import("./bench/mastodon-fleet.ts");
      // The list's defaults: no concurrency or timeoutMs, so the run sizes itself.
      return { ...await runMastodonFleet({ servers }) };
    },
    targets: (f, rss) => [
      { target: "every result matches the fleet", met: f.allMatch === true },
      ...(servers === 10_000 ? [
        { target: "10,000 servers < 3 min", met: Number(f.wallMs) < 180_000 },
        { target: "peak RSS < 400 MB", met: rss < 400 },
      ] : []),
    ],
  })),
  {
    // What the one IPv6 connection per host costs: the same 300 servers, with and without an AAAA record.
    name: "ipv6",
    group: "ipv6",
    async run(quick) {
      const { runMastodonFleet } = await import("./bench/mastodon-fleet.ts");
      const servers = quick ? 50 : 300;
      const ipv4Only = await runMastodonFleet({ servers, hanging: 0 });
      const dualStack = await runMastodonFleet({ servers, hanging: 0, dualStack: true });
      return {
        servers,
        wallMs: dualStack.wallMs,
        ipv4OnlyWallMs: ipv4Only.wallMs,
        addedMs: dualStack.wallMs - ipv4Only.wallMs,
        answersIpv6: dualStack.answersIpv6,
        allMatch: ipv4Only.allMatch && dualStack.allMatch,
      };
    },
    targets: (f) => [
      { target: "every dual-stack server found answering over IPv6", met: f.answersIpv6 === f.servers },
      { target: "the IPv6 check adds < 1 s to the run", met: Number(f.addedMs) < 1_000 },
      { target: "every result matches the fleet", met: f.allMatch === true },
    ],
  },
  ...[...SITE_SIZES.full, ...SITE_SIZES.quick].map(([instances, days]): Section => ({
    name: `site-${instances}`,
    group: "site",
    async run() {
      const { measureSiteBuild } = await import("./bench/site.ts");
      return { ...await measureSiteBuild({ instances, days }) };
    },
    targets: (f) => siteTargets(f as unknown as SiteFigures),
  })),
  ...EXTERNAL.map(({ name, file, targets }): Section => ({
    name,
    group: name,
    async run(quick) {
      const module = await import(`./bench/${file}`) as { bench(options: { quick: boolean }): Promise<Figures> };
      return await module.bench({ quick });
    },
    targets,
  })),
];

const RESULT_PREFIX = "BENCH_RESULT ";

async function runSectionHere(name: string, quick: boolean): Promise<void> {
  const section = SECTIONS.find((s) => s.name === name)!;
  const outcome = await section.run(quick);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ outcome, peakRssMb })}\n`);
}

/** Runs one section in a child process and reads its figures and peak memory. */
function runSectionInChild(section: Section, quick: boolean): Promise<Result> {
  return new Promise((resolve) => {
    const args = [fileURLToPath(import.meta.url), "--section", section.name, ...(quick ? ["--quick"] : [])];
    // Sections that run the probe run it as `npm run probe` does.
    const flags = ["cobalt", "mastodon", "ipv6"].includes(section.group) ? PROBE_NODE_FLAGS : [];
    const child = spawn(process.execPath, [...flags, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.on("close", (code) => {
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
      if (!line) return resolve({ section: section.name, error: `the section's process exited with code ${code} before reporting` });
      const { outcome, peakRssMb } = JSON.parse(line.slice(RESULT_PREFIX.length)) as { outcome: Figures; peakRssMb: number };
      resolve({ section: section.name, figures: outcome, peakRssMb, targets: section.targets?.(outcome, peakRssMb) ?? [] });
    });
  });
}

function formatTable(results: Result[]): string {
  const rows = results.map((r) => {
    if (r.error) return [r.section, "failed", "", r.error];
    const { examples: _examples, details: _details, ...figures } = r.figures!;
    const shown = Object.entries(figures).filter(([key]) => key !== "wallMs").map(([key, value]) => `${key}=${typeof value === "object" ? JSON.stringify(value) : value}`).join(" ");
    const targets = (r.targets ?? []).map((t) => `${t.met ? "✓" : "✗"} ${t.target}`).join("; ");
    return [r.section, `${((Number(r.figures!.wallMs) || 0) / 1000).toFixed(1)} s`, `${r.peakRssMb} MB`, `${shown}${targets ? `\n    ${targets}` : ""}`];
  });
  const header = ["section", "wall", "peak RSS", "figures / targets"];
  const widths = [0, 1, 2].map((i) => Math.max(header[i]!.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: "string" }, quick: { type: "boolean", default: false }, section: { type: "string" } } });
  if (values.section) return runSectionHere(values.section, values.quick);
  const groups = [...new Set(SECTIONS.map((s) => s.group))];
  const wanted = values.only ? values.only.split(",").map((s) => s.trim()).filter(Boolean) : groups;
  const unknown = wanted.filter((name) => !groups.includes(name));
  if (unknown.length > 0) throw new Error(`--only names unknown sections: ${unknown.join(", ")}; choose from ${groups.join(", ")}`);
  const sized = values.quick
    ? [...MASTODON_SIZES.quick.map((n) => `mastodon-${n}`), ...SITE_SIZES.quick.map(([n]) => `site-${n}`)]
    : [...MASTODON_SIZES.full.map((n) => `mastodon-${n}`), ...SITE_SIZES.full.map(([n]) => `site-${n}`)];
  const chosen = SECTIONS.filter((s) => wanted.includes(s.group) && (!["mastodon", "site"].includes(s.group) || sized.includes(s.name)));
  const results: Result[] = [];
  for (const section of chosen) {
    process.stderr.write(`bench: ${section.name}…\n`);
    results.push(await runSectionInChild(section, values.quick));
  }
  console.log(formatTable(results));
  console.log(JSON.stringify({ quick: values.quick, node: process.version, results }, null, 2));
}

guardOutput();
main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
