// One probe run as history keeps it: per instance, online or not, the response time and,
// for kinds that test services, one pass/fail/untested mark per service. Written as one
// compact line per run so the store only ever grows by appending.
import { isoSeconds, isRecord } from "../probe-kind.ts";

/** What one check of one instance recorded; null in a run means "not checked" (unknown). */
export interface Sample {
  online: boolean;
  /** Rounded to two significant digits: enough for a median, and it keeps lines compressible. */
  ms: number | null;
  /** Service → true (passed), false (failed); untested services are absent. */
  services: Record<string, boolean>;
}

export interface Run {
  /** When the run checked (ISO 8601, seconds, UTC). */
  at: string;
  /** Instance key ("kind host") → its sample; a key absent or null was not checked. */
  samples: RunSamples;
}

/** What a run's samples offer: a Map has all of it; a stored run decodes each sample when asked. */
export interface RunSamples {
  get(key: string): Sample | null | undefined;
  keys(): Iterable<string>;
  entries(): Iterable<[string, Sample | null]>;
}

/**
 * The samples of one stored run line, kept as their compact text and decoded one at a
 * time: 90 days of hourly runs of 1,000 instances are two million samples, too many to
 * hold as objects when a reader wants a few of them per instance.
 */
class EncodedSamples implements RunSamples {
  readonly #table: IndexedTable;
  readonly #encoded: unknown[];

  constructor(table: IndexedTable, encoded: unknown[]) {
    this.#table = table;
    this.#encoded = encoded;
  }

  get(key: string): Sample | null | undefined {
    const index = this.#table.index.get(key);
    return index === undefined ? undefined : decodeSample(this.#encoded[index], this.#table.services);
  }

  keys(): Iterable<string> {
    return this.#table.keys;
  }

  *entries(): Iterable<[string, Sample | null]> {
    for (const [index, key] of this.#table.keys.entries()) yield [key, decodeSample(this.#encoded[index], this.#table.services)];
  }
}

interface IndexedTable extends KeyTable {
  index: Map<string, number>;
}

/** An entry from the probe output, as much of it as history reads. */
export interface EntryFacts {
  kind: string;
  key: string;
  checked_at: string;
  api_online: boolean;
  response_ms?: number | null;
  services?: unknown;
  service_results?: unknown;
}

/**
 * The services actually tested at a check: passed (true) or failed (false). `services` also
 * says false for a service that was disabled or untested, so the detailed results decide
 * when the entry has them.
 */
function testedServices(entry: EntryFacts): Record<string, boolean> {
  const services: Record<string, boolean> = {};
  if (isRecord(entry.service_results)) {
    for (const [name, detail] of Object.entries(entry.service_results)) {
      const result = isRecord(detail) ? detail.result : undefined;
      if (result === "pass" || result === "fail") services[name] = result === "pass";
    }
  } else if (isRecord(entry.services)) {
    for (const [name, passed] of Object.entries(entry.services)) if (typeof passed === "boolean") services[name] = passed;
  }
  return services;
}

/** A check made more than this long before the run's time belongs to an earlier run (a kept, stale entry). */
const SAME_RUN_MS = 30 * 60 * 1000;

export function roundMs(ms: number): number {
  if (ms < 100) return Math.round(ms);
  const step = 10 ** (Math.floor(Math.log10(ms)) - 1);
  return Math.round(ms / step) * step;
}

/** The run recorded by one probe output: its time is the latest check in it. */
export function runFromEntries(entries: EntryFacts[]): Run {
  const times = entries.map((entry) => Date.parse(entry.checked_at)).filter(Number.isFinite);
  const latest = times.length ? Math.max(...times) : Date.now();
  const samples = new Map<string, Sample | null>();
  for (const entry of entries) {
    const checked = Date.parse(entry.checked_at);
    if (!(latest - checked <= SAME_RUN_MS)) {
      samples.set(entry.key, null);
      continue;
    }
    const services = testedServices(entry);
    const ms = entry.api_online && typeof entry.response_ms === "number" && Number.isFinite(entry.response_ms) ? roundMs(entry.response_ms) : null;
    samples.set(entry.key, { online: entry.api_online, ms, services: entry.api_online ? services : {} });
  }
  return { at: isoSeconds(new Date(latest)), samples };
}

// Line format (NDJSON). A key table line names the instances and services that the run
// lines after it refer to by position:
//   {"keys":["cobalt api.example.com",…],"services":["youtube",…]}
//   {"at":"2026-11-25T06:00:04Z","s":["230 1-0","x",null,…]}
// A sample is "x" (down), "<ms>" or "<ms> <marks>" (online; one mark per service:
// 1 passed, 0 failed, - untested) or null (not checked); ms is "?" when unknown.
export interface KeyTable {
  keys: string[];
  services: string[];
}

export function tableFor(run: Run): KeyTable {
  const services = new Set<string>();
  for (const [, sample] of run.samples.entries()) for (const name of Object.keys(sample?.services ?? {})) services.add(name);
  return { keys: [...run.samples.keys()].sort(), services: [...services].sort() };
}

/** Whether `table` can encode every key and service of `run`, so no new table line is needed. */
export function tableCovers(table: KeyTable, run: Run): boolean {
  const wanted = tableFor(run);
  return wanted.keys.length === table.keys.length && wanted.keys.every((key, index) => table.keys[index] === key)
    && wanted.services.every((name) => table.services.includes(name));
}

export function encodeRun(run: Run, table: KeyTable): string {
  const s = table.keys.map((key) => {
    const sample = run.samples.get(key);
    if (!sample) return null;
    if (!sample.online) return "x";
    const marks = table.services.map((name) => (name in sample.services ? (sample.services[name] ? "1" : "0") : "-")).join("");
    const ms = sample.ms === null ? "?" : String(sample.ms);
    return /[01]/.test(marks) ? `${ms} ${marks}` : ms;
  });
  return JSON.stringify({ at: run.at, s });
}

export function decodeSample(text: unknown, services: string[]): Sample | null {
  if (typeof text !== "string") return null;
  if (text === "x") return { online: false, ms: null, services: {} };
  const space = text.indexOf(" ");
  const parsed = Number(space === -1 ? text : text.slice(0, space));
  const ms = Number.isFinite(parsed) ? parsed : null;
  return space === -1 ? { online: true, ms, services: {} } : new MarkedSample(ms, text.slice(space + 1), services);
}

/** An online sample whose service marks are decoded when first read: most readers want only online and ms. */
class MarkedSample implements Sample {
  readonly online = true;
  readonly ms: number | null;
  readonly #marks: string;
  readonly #names: string[];
  #services: Record<string, boolean> | undefined;

  constructor(ms: number | null, marks: string, names: string[]) {
    this.ms = ms;
    this.#marks = marks;
    this.#names = names;
  }

  get services(): Record<string, boolean> {
    return (this.#services ??= decodeMarks(this.#marks, this.#names));
  }

  /** Adds this sample's tested and passed services to the counts, straight from the marks. */
  count(tested: Record<string, number>, passed: Record<string, number>): void {
    for (let index = 0; index < Math.min(this.#marks.length, this.#names.length); index++) {
      const mark = this.#marks.charCodeAt(index);
      if (mark !== 48 && mark !== 49) continue; // "0" failed, "1" passed
      const name = this.#names[index]!;
      tested[name] = (tested[name] ?? 0) + 1;
      if (mark === 49) passed[name] = (passed[name] ?? 0) + 1;
    }
  }
}

/**
 * Adds a sample's tested and passed services to per-service counts: what the fleet's
 * health per run needs, without building each sample's service object.
 */
export function countServices(sample: Sample, tested: Record<string, number>, passed: Record<string, number>): void {
  if (sample instanceof MarkedSample) return sample.count(tested, passed);
  for (const name in sample.services) {
    tested[name] = (tested[name] ?? 0) + 1;
    if (sample.services[name]) passed[name] = (passed[name] ?? 0) + 1;
  }
}

function decodeMarks(marks: string, services: string[]): Record<string, boolean> {
  const result: Record<string, boolean> = {};
  for (let index = 0; index < Math.min(marks.length, services.length); index++) {
    if (marks[index] === "1") result[services[index]!] = true;
    else if (marks[index] === "0") result[services[index]!] = false;
  }
  return result;
}

/** Runs in one day file, in order; malformed lines are skipped, never fatal. */
export function decodeLines(text: string): Run[] {
  const runs: Run[] = [];
  let table: IndexedTable = { keys: [], services: [], index: new Map() };
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isRecord(value)) continue;
    if (Array.isArray(value.keys) && Array.isArray(value.services)) {
      const keys = value.keys.map(String);
      table = { keys, services: value.services.map(String), index: new Map(keys.map((key, index) => [key, index])) };
    } else if (typeof value.at === "string" && Array.isArray(value.s)) {
      runs.push({ at: value.at, samples: new EncodedSamples(table, value.s) });
    }
  }
  return runs;
}
