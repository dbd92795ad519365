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
  samples: Map<string, Sample | null>;
}

/** An entry from the probe output, as much of it as history reads. */
export interface EntryFacts {
  kind: string;
  key: string;
  checked_at: string;
  api_online: boolean;
  response_ms?: number | null;
  services?: unknown;
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
    const services: Record<string, boolean> = {};
    if (isRecord(entry.services)) {
      for (const [name, passed] of Object.entries(entry.services)) if (typeof passed === "boolean") services[name] = passed;
    }
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
  for (const sample of run.samples.values()) for (const name of Object.keys(sample?.services ?? {})) services.add(name);
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
  const [ms, marks = ""] = text.split(" ");
  const result: Sample = { online: true, ms: ms === "?" ? null : Number(ms), services: {} };
  if (result.ms !== null && !Number.isFinite(result.ms)) result.ms = null;
  for (let index = 0; index < Math.min(marks.length, services.length); index++) {
    if (marks[index] === "1") result.services[services[index]] = true;
    else if (marks[index] === "0") result.services[services[index]] = false;
  }
  return result;
}

/** Runs in one day file, in order; malformed lines are skipped, never fatal. */
export function decodeLines(text: string): Run[] {
  const runs: Run[] = [];
  let table: KeyTable = { keys: [], services: [] };
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
      table = { keys: value.keys.map(String), services: value.services.map(String) };
    } else if (typeof value.at === "string" && Array.isArray(value.s)) {
      const samples = new Map<string, Sample | null>();
      table.keys.forEach((key, index) => samples.set(key, decodeSample((value.s as unknown[])[index], table.services)));
      runs.push({ at: value.at, samples });
    }
  }
  return runs;
}
