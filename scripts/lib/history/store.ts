// The history store under data/history/:
//   raw/YYYY-MM-DD.ndjson   one line per run (see samples.ts: what differs from what the
//                           day's earlier runs predict), appended by each probe run;
//                           kept RAW_DAYS days, then folded into daily/ and deleted.
//   daily/YYYY.ndjson       one line per pruned day: per instance, checks, checks online
//                           and median response time, after a key table line when the
//                           instances changed. Append-only; kept forever (small).
//   events/YYYY.ndjson      one line per change (went down, came back, new version, …),
//                           the source of /feed.xml.
// Every file only grows by appended lines, so an hourly commit's diff is one line.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { decodeDay, decodeLines, encodeRun, freshPredictions, tableCovers, tableFor, type KeyTable, type Predictions, type Run } from "./samples.ts";
import { median } from "./derive.ts";

/** Longest window published (90 days) plus a margin for runs late in the day. */
export const RAW_DAYS = 92;
const DAY_MS = 86_400_000;

const dayOf = (iso: string) => iso.slice(0, 10);
const rawFile = (dir: string, day: string) => join(dir, "raw", `${day}.ndjson`);

function rawDays(dir: string): string[] {
  const folder = join(dir, "raw");
  if (!existsSync(folder)) return [];
  return readdirSync(folder).filter((name) => /^\d{4}-\d{2}-\d{2}\.ndjson$/.test(name)).map((name) => name.slice(0, 10)).sort();
}

/**
 * Every run recorded on or after `since`, oldest first, one day file at a time, for a
 * reader that need not hold 90 days at once.
 * With `marks` false, runs stored with their totals come without per-instance service
 * marks (see decodeDay): what the site reads.
 */
export function* eachRun(dir: string, since: Date, options: { marks?: boolean } = {}): Generator<Run> {
  const first = dayOf(since.toISOString());
  for (const day of rawDays(dir)) {
    if (day < first) continue;
    const runs = decodeLines(readFileSync(rawFile(dir, day), "utf8"), options).filter((run) => Date.parse(run.at) >= since.getTime());
    yield* runs.sort((a, b) => a.at.localeCompare(b.at));
  }
}

/**
 * The day files from `since` on, newest first, each read only when asked: its runs, newest
 * first, with their service marks or (`marks` false, see decodeDay) for their states alone.
 */
export function* eachDayNewestFirst(dir: string, since: Date): Generator<(options?: { marks?: boolean }) => Run[]> {
  const first = dayOf(since.toISOString());
  for (const day of rawDays(dir).toReversed()) {
    if (day < first) return;
    const text = readFileSync(rawFile(dir, day), "utf8");
    yield (options = {}) => decodeLines(text, options).filter((run) => Date.parse(run.at) >= since.getTime()).sort((a, b) => b.at.localeCompare(a.at));
  }
}

/**
 * The end of the day file appended to last, so that a process appending many runs (the
 * history bench) does not read the whole day again for each; checked against the file's size.
 */
let lastAppended: { file: string; bytes: number; ats: Set<string>; table: KeyTable; predictions: Predictions } | undefined;

/** Appends a run to its day file, with a new key table line when the instances or services changed. */
export function appendRun(dir: string, run: Run): void {
  const file = rawFile(dir, dayOf(run.at));
  mkdirSync(join(dir, "raw"), { recursive: true });
  const bytes = existsSync(file) ? statSync(file).size : 0;
  let state = lastAppended?.file === file && lastAppended.bytes === bytes ? lastAppended : undefined;
  let separator = "";
  if (!state && bytes > 0) {
    const existing = readFileSync(file, "utf8");
    const day = decodeDay(existing);
    if (day.table && day.predictions) state = { file, bytes, ats: new Set(day.runs.map((earlier) => earlier.at)), table: day.table, predictions: day.predictions };
    if (!existing.endsWith("\n")) separator = "\n";
  }
  if (state?.ats.has(run.at)) return; // already recorded
  let lines = separator;
  if (!state || !tableCovers(state.table, run)) {
    const table = tableFor(run);
    state = { file, bytes, ats: state?.ats ?? new Set(), table, predictions: freshPredictions(table) };
    lines += `${JSON.stringify({ keys: table.keys, services: table.services })}\n`;
  }
  lines += `${encodeRun(run, state.table, state.predictions)}\n`;
  appendFileSync(file, lines);
  state.ats.add(run.at);
  lastAppended = { ...state, bytes: bytes + Buffer.byteLength(lines) };
}

/**
 * One day folded: per instance, [checks made, checks online, median response ms or null].
 * The instances are named by a key table line before it, written only when they changed
 * since the file's last one: 10,000 names repeated every day would weigh more than the day.
 */
export function summarizeDay(day: string, runs: Run[], lastKeys?: string[]): string {
  const totals = new Map<string, { checks: number; online: number; ms: number[] }>();
  for (const run of runs) {
    for (const [key, sample] of run.samples.entries()) {
      if (!sample) continue;
      const total = totals.get(key) ?? { checks: 0, online: 0, ms: [] };
      total.checks++;
      if (sample.online) total.online++;
      if (sample.ms !== null) total.ms.push(sample.ms);
      totals.set(key, total);
    }
  }
  const keys = [...totals.keys()].sort();
  const table = lastKeys && lastKeys.length === keys.length && lastKeys.every((key, index) => key === keys[index]) ? "" : `${JSON.stringify({ keys })}\n`;
  return `${table}${JSON.stringify({ day, up: keys.map((key) => { const t = totals.get(key)!; return [t.checks, t.online, median(t.ms)]; }) })}`;
}

/** The instances the next line of a daily file refers to: its last key table, or the keys of its last line in the older format. */
function lastDailyKeys(file: string): string[] | undefined {
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, "utf8").split("\n").filter((line) => line.includes('"keys":'));
  try {
    const keys = JSON.parse(lines.at(-1) ?? "null")?.keys;
    return Array.isArray(keys) ? keys.map(String) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The schedule: a raw day file older than RAW_DAYS days is summarized into daily/YYYY.ndjson
 * and deleted. Returns the days pruned.
 */
export function pruneRaw(dir: string, now: Date): string[] {
  const cutoff = dayOf(new Date(now.getTime() - RAW_DAYS * DAY_MS).toISOString());
  const pruned: string[] = [];
  for (const day of rawDays(dir)) {
    if (day >= cutoff) break;
    const runs = decodeLines(readFileSync(rawFile(dir, day), "utf8"));
    mkdirSync(join(dir, "daily"), { recursive: true });
    const daily = join(dir, "daily", `${day.slice(0, 4)}.ndjson`);
    appendFileSync(daily, `${summarizeDay(day, runs, lastDailyKeys(daily))}\n`);
    rmSync(rawFile(dir, day));
    pruned.push(day);
  }
  return pruned;
}

export interface StoredEvent {
  at: string;
  type: string;
  key: string;
  name: string;
  url: string;
  from: string | null;
  to: string | null;
}

export function appendEvents(dir: string, events: StoredEvent[]): void {
  if (!events.length) return;
  mkdirSync(join(dir, "events"), { recursive: true });
  for (const year of new Set(events.map((event) => event.at.slice(0, 4)))) {
    const lines = events.filter((event) => event.at.startsWith(year)).map((event) => `${JSON.stringify(event)}\n`).join("");
    appendFileSync(join(dir, "events", `${year}.ndjson`), lines);
  }
}

/** The events since `since` (an ISO time), newest first. */
export function readEventsSince(dir: string, since: string): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (const event of eachEventNewestFirst(dir)) {
    if (event.at < since) break;
    events.push(event);
  }
  return events;
}

/** The latest `limit` events, newest first. */
export function readEvents(dir: string, limit = 100): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (const event of eachEventNewestFirst(dir)) {
    if (events.length >= limit) break;
    events.push(event);
  }
  return events;
}

function* eachEventNewestFirst(dir: string): Generator<StoredEvent> {
  const folder = join(dir, "events");
  if (!existsSync(folder)) return;
  for (const name of readdirSync(folder).filter((file) => /^\d{4}\.ndjson$/.test(file)).sort().reverse()) {
    const lines = readFileSync(join(folder, name), "utf8").split("\n").filter(Boolean).reverse();
    for (const line of lines) {
      let value;
      try {
        value = JSON.parse(line);
      } catch {
        continue; // a torn line is skipped
      }
      if (typeof value?.at === "string" && typeof value?.type === "string" && typeof value?.key === "string") yield value as StoredEvent;
    }
  }
}
