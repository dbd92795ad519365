// The hostile fleet as a benchmark: every pathology of the fault-injection suite plus one
// healthy instance, probed in one run. Reports how many scenarios ran, the run's wall time
// against its timeout budget, the probe's peak memory with the largest hostile bodies, and
// every address the probe connected to.
//
// The hostile servers run in a child process, so this process's peak RSS is the probe's
// own and not the servers' (which generate 300 MB bodies and 4 GB gzip streams).
//
//   node scripts/bench/hostile.ts [--quick]      (or: npm run bench -- --only hostile)
import { spawn } from "node:child_process";
import { subscribe } from "node:diagnostics_channel";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { BlockList, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { parseList } from "../lib/list.ts";
import { runProbes } from "../lib/run.ts";
import { startFakeCobalt } from "../../test/support/cobalt-server.ts";
import { HEALTHY_TEST_LINK, startHostileFleet } from "../../test/support/hostile-servers.ts";
import { loopbackResolver } from "../../test/support/loopback.ts";
import { htmlToText, pageIdentity } from "../lib/html.ts";

const ALLOWED = "127.0.0.1/32";
/** An offline cobalt instance costs at most two sequential requests (`GET /`, then `GET /api/serverInfo`). */
const SEQUENTIAL_REQUESTS = 2;

interface FleetReport {
  servers: { name: string; url: string; connections: number; produced: number }[];
  forbidden: { url: string; connections: number };
}

/** Child side: start the fleet, print its URLs, print the counters when asked, exit on stdin end. */
async function serveFleet(): Promise<void> {
  const fleet = await startHostileFleet();
  const report = (): FleetReport => ({
    servers: fleet.servers.map((server) => ({ name: server.name, url: server.url, connections: server.connections(), produced: server.produced() })),
    forbidden: { url: fleet.forbidden.url, connections: fleet.forbidden.connections() },
  });
  process.stdout.write(`${JSON.stringify(report())}\n`);
  for await (const _line of createInterface({ input: process.stdin })) process.stdout.write(`${JSON.stringify(report())}\n`);
  await fleet.close();
}

/** Shapes of markup that once cost super-linear time, or could: each repeated to the size under test. */
const HOSTILE_MARKUP = ["<meta name=application-name ", "<script", "<b>", "<!--", "<a href='", "&amp;&#x", "<p class=\"", "</"];

function repeatedTo(bytes: number, unit: string): string {
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

/** CPU milliseconds (user + system) of `work`, the median of five runs. */
function cpuMs(work: () => unknown): number {
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const start = process.cpuUsage();
    work();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  return times.sort((a, b) => a - b)[2]!;
}

/**
 * The probe's CPU for the worst pages and descriptions it reads, with the caps it reads them
 * with (the front-end page whole, though the probe reads only its first 64 KiB; a Mastodon
 * description and extended description at their source caps): the costliest shape of each.
 */
export function hostileParseCost(): { frontEnd128KiBMs: number; description1MiBMs: number; worstShapes: Record<string, string> } {
  const page = (unit: string) => cpuMs(() => pageIdentity(repeatedTo(128 * 1024, unit)));
  const description = (unit: string) => {
    const text = repeatedTo(1024 * 1024, unit);
    return cpuMs(() => [htmlToText(text, 2000, 50_000), htmlToText(text, 20_000, 200_000)]);
  };
  const worst = (measure: (unit: string) => number) => HOSTILE_MARKUP.map((unit) => ({ unit, ms: measure(unit) })).sort((a, b) => b.ms - a.ms)[0]!;
  const frontEnd = worst(page);
  const text = worst(description);
  return {
    frontEnd128KiBMs: Number(frontEnd.ms.toFixed(1)),
    description1MiBMs: Number(text.ms.toFixed(1)),
    worstShapes: { frontEnd: frontEnd.unit, description: text.unit },
  };
}

export async function bench({ quick = false }: { quick?: boolean } = {}): Promise<Record<string, unknown>> {
  const timeoutMs = quick ? 1_500 : 10_000;
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--serve"], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const nextReport = async () => JSON.parse((await lines.next()).value as string) as FleetReport;
  const healthy = await startFakeCobalt({ outcomes: { [HEALTHY_TEST_LINK]: { status: "redirect" } } });

  // Every TCP connection this process opens, whoever opens it.
  const remoteAddresses: string[] = [];
  const onSocket = (message: unknown) => {
    const socket = (message as { socket: Socket }).socket;
    socket.once("connect", () => remoteAddresses.push(socket.remoteAddress ?? "unknown"));
  };
  subscribe("net.client.socket", onSocket);

  try {
    const fleet = await nextReport();
    const list = parseList("hostile-bench-list.json", JSON.stringify({
      title: "hostile bench",
      probe: { allowPrivateAddresses: [ALLOWED], timeoutMs, budgetMs: 600_000 },
      services: { youtube: HEALTHY_TEST_LINK },
      instances: [healthy.url, ...fleet.servers.map((server) => server.url)].map((api) => ({ kind: "cobalt", api })),
    }));
    const { entries, stats } = await runProbes({ list, resolve: loopbackResolver() });
    child.stdin!.write("report\n");
    const after = await nextReport();

    const allowed = new BlockList();
    allowed.addSubnet("127.0.0.1", 32, "ipv4");
    const outside = remoteAddresses.filter((address) => !allowed.check(address.replace(/^::ffff:/, ""), "ipv4"));
    const healthyEntry = entries[0]!;
    const offline = entries.slice(1);
    const budgetMs = SEQUENTIAL_REQUESTS * timeoutMs;
    const huge = after.servers.find((server) => /300 MB/.test(server.name))!;
    return {
      ...hostileParseCost(),
      scenarios: fleet.servers.length,
      scenariosEndedOffline: offline.filter((entry) => !entry.api_online && entry.offline_reason).length,
      reasons: Object.fromEntries(after.servers.map((server, index) => [server.name, offline[index]!.offline_reason])),
      healthyUnaffected: healthyEntry.api_online && healthyEntry.kind === "cobalt" && healthyEntry.score === 100,
      timeoutMs,
      wallMs: stats.wallMs,
      timeoutBudgetMs: budgetMs,
      wallOverBudget: Number((stats.wallMs / budgetMs).toFixed(2)),
      budgetNote: "budget = 2 sequential requests × timeout; the 429 instance also waits out its Retry-After (1 s, 3 attempts a request), which bounds a --quick run",
      requests: stats.requests,
      // What the 300 MB server got to send before the probe hung up (socket buffers included).
      hugeBodySentMb: Number((huge.produced / 2 ** 20).toFixed(1)),
      probePeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      connectionsOpened: remoteAddresses.length,
      connectionsOutsideAllowed: outside.length,
      forbiddenServerConnections: after.forbidden.connections,
    };
  } finally {
    child.stdin!.end();
    await Promise.all([once(child, "exit"), healthy.close()]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes("--serve")) await serveFleet();
  else console.log(JSON.stringify(await bench({ quick: process.argv.includes("--quick") }), null, 2));
}
