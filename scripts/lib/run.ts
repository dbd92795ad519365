// Probes every instance of a list once: one HTTP client for the run, each instance
// isolated from the others' failures, the output validated before anyone sees it.
import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { classify, HttpClient, type Resolver } from "./http.ts";
import { hostOf, listedUrl, type InstanceList, type ListEntry } from "./list.ts";
import { isoSeconds, type KindProbe } from "./probe-kind.ts";
import { entryProblems, instancesProblems } from "./schemas.ts";
import { certificateKeys } from "./certificate.ts";
import { networkKeys } from "./network.ts";
import { checkedFrom } from "./runner.ts";
import { trimCharacters } from "./normalise.ts";
import { AdaptiveLimit } from "./concurrency.ts";
import { KINDS } from "../probes/index.ts";
import type { Instances } from "../schema-types.ts";

export type Instance = Instances[number];

const VERSION: string = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;

export interface RunOptions {
  list: InstanceList;
  /** The previous output, whose values are kept for instances that cannot be refreshed. */
  previous?: Instance[];
  env?: Record<string, string | undefined>;
  /** Replaces DNS (tests map names to 127.0.0.1). */
  resolve?: Resolver;
  onProgress?: (done: number, total: number) => void;
  now?: () => Date;
}

/** An instance whose probe produced values the schema refuses: its previous values were published instead. */
export interface InvalidEntry {
  url: string;
  kind: string;
  /** The keys and what is wrong with them ("/thumbnail: must be a valid uri"). */
  problems: string[];
}

export interface RunResult {
  entries: Instance[];
  invalid: InvalidEntry[];
  /** `peakConcurrency`: the most requests the run allowed in flight at once. */
  stats: { requests: number; wallMs: number; peakConcurrency: number };
}

/** `<title as a token>/<version> (+<site or repository>)`: operators can see who is probing them. */
export function userAgent(list: InstanceList): string {
  const product = trimCharacters(list.title.normalize("NFKD").replace(/[^A-Za-z0-9.-]+/g, "-"), "-") || "instance-list";
  const where = list.site ?? list.repository ?? list.contact;
  return `${product}/${VERSION}${where ? ` (+${where})` : ""}`;
}

/** Instances match across runs by kind and host, however their URL is spelled. */
export function instanceKey(kind: string, url: string): string {
  return `${kind} ${hostOf(url)}`;
}

/**
 * A run allocates fast (tens of megabytes a second with hundreds of requests in flight) and
 * keeps little: the finished entries and the requests in flight. With memory to spare, V8
 * lets the heap grow to four times what is live between full collections, which made a
 * run of 10,000 servers peak near 500 MB; doubling instead keeps it under 400 MB and costs
 * nothing measurable, as full collections of a heap this small take milliseconds.
 */
const HEAP_GROWING_PERCENT = 100;

/**
 * Flags a probe process starts with (`npm run probe` passes them): a young generation of
 * 4 MB semi-spaces instead of V8's 16 MB or more. With hundreds of requests in flight V8
 * grows the young generation to its maximum and keeps it, which made a run of 10,000
 * servers hold 130 MB more than the little it keeps; the space cannot be resized once
 * the process runs.
 */
export const PROBE_NODE_FLAGS = ["--max-semi-space-size=4"];

/**
 * A list without `concurrency` gets a limit that sizes itself: from 32 requests in flight
 * (the fixed default before), up to 1,024 (the most a list may set), while resident memory
 * stays under 272 MB: a runner has gigabytes, and a run that needs more than that for its
 * requests in flight gains nothing from them. Resident memory goes on rising for a while
 * after a cut (the requests already sent finish, the heap grows before its next full
 * collection): on 10,000 Mastodon servers the peak lands about 70 MB above the reading
 * that cut, so the budget sits that far below the 400 MB the run is held to.
 */
export const SELF_SIZED = { initial: 32, max: 1024, memoryBudget: 272 * 1024 * 1024 };

export async function runProbes(options: RunOptions): Promise<RunResult> {
  const { list } = options;
  const now = options.now ?? (() => new Date());
  const started = performance.now();
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  const limit = list.probe.concurrency ?? new AdaptiveLimit(SELF_SIZED);
  const allowed = () => (typeof limit === "number" ? limit : limit.limit);
  const http = new HttpClient({
    userAgent: userAgent(list),
    timeoutMs: list.probe.timeoutMs,
    concurrency: limit,
    perHostConcurrency: list.probe.perHostConcurrency,
    allowPrivateAddresses: list.probe.allowPrivateAddresses,
    deadline: Date.now() + list.probe.budgetMs,
    resolve: options.resolve,
  });
  const previous = new Map<string, Instance>();
  for (const entry of options.previous ?? []) {
    const kind = KINDS[entry.kind];
    if (kind) previous.set(instanceKey(entry.kind, kind.listedUrl(entry)), entry);
  }
  // Every entry says from where this run checked it: shards of one run may run on different machines.
  const from = checkedFrom(options.env ?? process.env);
  const total = list.instances.length;
  const entries: Instance[] = new Array(total);
  const invalid: InvalidEntry[] = [];
  let done = 0;
  const probeAt = async (index: number) => {
    const entry = list.instances[index]!;
    const before = previous.get(instanceKey(entry.kind, listedUrl(entry)));
    const probed = await probeOne(entry, invalid, {
      // Earlier instances go first, so instances finish (and free memory) in order.
      http: http.withPriority(total - index),
      list,
      previous: before,
      checkedAt: new Date(Math.floor(now().getTime() / 1000) * 1000),
      env: options.env ?? process.env,
    });
    const network = networkKeys(await http.networkOf(listedUrl(entry)), before);
    entries[index] = { ...probed, ...certificateKeys(http.certificateExpiresAt(listedUrl(entry)), probed.checked_at, before, probed.protocol), ...network, checked_from: from };
    options.onProgress?.(++done, total);
  };
  // Instances bound by rate-limit windows all start now; the others start as earlier ones
  // finish, one per request slot (as many as the limit allows at that moment): enough to
  // keep the slots busy, few enough that memory does not grow with the list.
  const atOnce: number[] = [];
  const inTurn: number[] = [];
  list.instances.forEach((entry, index) => (KINDS[entry.kind]?.windowBound ? atOnce : inTurn).push(index));
  const inTurnDone = new Promise<void>((resolve, reject) => {
    let next = 0;
    let active = 0;
    const fill = () => {
      while (next < inTurn.length && active < allowed()) {
        active++;
        probeAt(inTurn[next++]!).then(() => (active--, fill()), reject);
      }
      if (active === 0 && next >= inTurn.length) resolve();
    };
    fill();
  });
  try {
    await Promise.all([...atOnce.map(probeAt), inTurnDone]);
    await assertNetworkWorks(entries, list, http);
    const peakConcurrency = typeof limit === "number" ? limit : limit.peak;
    return { entries, invalid, stats: { requests: http.stats.requests, wallMs: Math.round(performance.now() - started), peakConcurrency } };
  } finally {
    await http.close();
  }
}

async function probeOne(entry: ListEntry, invalid: InvalidEntry[], context: Parameters<KindProbe["probe"]>[1]): Promise<Instance> {
  const kind = KINDS[entry.kind];
  if (!kind) throw new Error(`no probe for kind "${entry.kind}"`);
  let result: Instance;
  try {
    result = await kind.probe(entry, context);
  } catch (error) {
    // A bug of ours on one instance must not cost the others their results.
    console.error(`probe of ${listedUrl(entry)} crashed at ${isoSeconds(context.checkedAt)}: ${(error as Error).stack ?? error}`);
    return kind.failed(entry, "probe_error", context);
  }
  const problems = entryProblems(result);
  if (problems.length === 0) return result;
  // One entry that fails the schema costs only its own row: it keeps its previous values.
  invalid.push({ url: listedUrl(entry), kind: entry.kind, problems });
  console.error(`${entry.kind} ${listedUrl(entry)}: the probe read values the schema refuses, so its previous values were kept (offline_reason invalid_data):\n` +
    problems.map((line) => `  ${line}`).join("\n"));
  const kept = kind.failed(entry, "invalid_data", context);
  return entryProblems(kept).length === 0 ? kept : kind.failed(entry, "invalid_data", { ...context, previous: undefined });
}

/** Failures that say nothing about an instance when every instance has the same one. */
const NETWORK_FAILURES = new Set(["timeout", "dns", "connection_refused", "connection_reset", "unreachable", "connection_error", "tls"]);

/** `npm run probe` exits with this code when the machine has no network (1 for every other failure). */
export const NO_NETWORK_EXIT_CODE = 3;

/** The probing machine has no network: publishing every instance as down would be a lie. */
export class NoNetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoNetworkError";
  }
}

/**
 * When every instance failed the same network way and the list's reachability check fails
 * too, the fault is ours: throw so that the caller keeps the previous data. Without a
 * reachability check in the list, instances that are all down are published as down.
 */
async function assertNetworkWorks(entries: Instance[], list: InstanceList, http: HttpClient): Promise<void> {
  const check = list.probe.reachabilityCheck;
  const reasons = new Set(entries.map((entry) => entry.offline_reason));
  const [reason] = reasons;
  if (!check || entries.length === 0 || reasons.size !== 1 || !reason || !NETWORK_FAILURES.has(reason)) return;
  try {
    await http.request(check, { method: "HEAD", maxBytes: 0 });
    return;
  } catch (error) {
    throw new NoNetworkError(`every instance failed with ${reason} and the reachability check ${check} failed too (${classify(error).code}): ` +
      "this machine seems to have no network, so nothing was written and the previous data was kept.");
  }
}

export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutputError";
  }
}

/** Throws an error that names each failing entry and key when the output does not match the schema. */
export function assertValidOutput(entries: unknown[]): asserts entries is Instance[] {
  const problems = instancesProblems(entries);
  if (!problems.length) return;
  throw new OutputError(`the probe's output does not match schemas/instances.schema.json; nothing was written.\n${problems.map((line) => `  ${line}`).join("\n")}`);
}
