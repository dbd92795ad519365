// One probe run as history keeps it: per instance, online or not, the response time and,
// for kinds that test services, one pass/fail/untested mark per service. Written as one
// compact line per run so the store only ever grows by appending, and written as what
// differs from what the instance's earlier runs of the same day predict, so that each
// line (and each hourly commit) is small once packed.
import { isoSeconds, isRecord } from "../probe-kind.ts";

/** What one check of one instance recorded; null in a run means "not checked" (unknown). */
export interface Sample {
  online: boolean;
  /** Rounded to a quarter octave (steps of 19 %): enough for a median and a sparkline, and a few bits a run. */
  ms: number | null;
  /** Service → true (passed), false (failed); untested services are absent. */
  services: Record<string, boolean>;
}

export interface Run {
  /** When the run checked (ISO 8601, seconds, UTC). */
  at: string;
  /** Instance key ("kind host") → its sample; a key absent or null was not checked. */
  samples: RunSamples;
  /** The fleet's figures of the run, when it was stored with them (runs since they were added). */
  totals?: ServiceTotals;
}

/**
 * Per kind and service: how many of a run's online checks tested it and how many passed,
 * each backend once (entries that repeat a backend are left out): what the fleet's figures
 * count. Stored with each run, so that the site reads them instead of every instance's marks.
 */
export type ServiceTotals = Record<string, Record<string, { tested: number; passed: number }>>;

export function serviceTotals(run: Run, skip: ReadonlySet<string> = new Set()): ServiceTotals {
  const totals: ServiceTotals = {};
  for (const [key, sample] of run.samples.entries()) {
    if (!sample?.online || skip.has(key)) continue;
    const kind = key.slice(0, key.indexOf(" "));
    for (const [name, passed] of Object.entries(sample.services)) {
      const total = ((totals[kind] ??= {})[name] ??= { tested: 0, passed: 0 });
      total.tested++;
      if (passed) total.passed++;
    }
  }
  return totals;
}

/** Totals as a run line holds them: per kind, [tested, passed] per service of the key table. */
function encodeTotals(totals: ServiceTotals, services: readonly string[]): Record<string, number[][]> {
  return Object.fromEntries(Object.entries(totals).map(([kind, counts]) => [kind, services.map((name) => [counts[name]?.tested ?? 0, counts[name]?.passed ?? 0])]));
}

/** A run line's totals, or undefined when it has none or they do not fit its key table. */
function decodeTotals(value: unknown, services: readonly string[]): ServiceTotals | undefined {
  if (!isRecord(value)) return undefined;
  const totals: ServiceTotals = {};
  for (const [kind, counts] of Object.entries(value)) {
    if (!Array.isArray(counts) || counts.length !== services.length) return undefined;
    const own: Record<string, { tested: number; passed: number }> = {};
    for (const [index, pair] of counts.entries()) {
      const [tested, passed] = Array.isArray(pair) ? pair : [];
      if (!Number.isSafeInteger(tested) || !Number.isSafeInteger(passed) || passed < 0 || passed > tested) return undefined;
      if (tested > 0) own[services[index]!] = { tested, passed };
    }
    totals[kind] = own;
  }
  return totals;
}

/** What a run's samples offer: a Map has all of it; a stored run decodes each sample when asked. */
export interface RunSamples {
  get(key: string): Sample | null | undefined;
  keys(): Iterable<string>;
  entries(): Iterable<[string, Sample | null]>;
}

/**
 * The samples of one stored run line, kept compact and decoded one at a time: 90 days of
 * hourly runs of 1,000 instances are two million samples, too many to hold as objects
 * when a reader wants a few of them per instance.
 */
abstract class StoredSamples implements RunSamples {
  protected readonly table: IndexedTable;

  constructor(table: IndexedTable) {
    this.table = table;
  }

  protected abstract at(index: number): Sample | null;

  get(key: string): Sample | null | undefined {
    const index = this.table.index.get(key);
    return index === undefined ? undefined : this.at(index);
  }

  keys(): Iterable<string> {
    return this.table.keys;
  }

  *entries(): Iterable<[string, Sample | null]> {
    for (const [index, key] of this.table.keys.entries()) yield [key, this.at(index)];
  }
}

/** A run line of the older format: each sample as its text. */
class EncodedSamples extends StoredSamples {
  readonly #encoded: unknown[];

  constructor(table: IndexedTable, encoded: unknown[]) {
    super(table);
    this.#encoded = encoded;
  }

  protected at(index: number): Sample | null {
    return decodeSample(this.#encoded[index], this.table.services);
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

/** Response-time levels: a quarter octave each, 1 ms to 55 s. */
const MAX_LEVEL = 63;
export const levelOf = (ms: number) => Math.min(MAX_LEVEL, Math.max(0, Math.round(4 * Math.log2(Math.max(1, ms)))));
const msOfLevel = (level: number) => Math.round(2 ** (level / 4));

/** A response time as history keeps it: the nearest quarter-octave level (230 ms → 215 ms). */
export function roundMs(ms: number): number {
  return msOfLevel(levelOf(ms));
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

// Line format (NDJSON), documented in data/history/README.md. A key table line names the
// instances and services that the run lines after it refer to by position:
//   {"keys":["cobalt api.example.com",…],"services":["youtube",…]}
//   {"at":"2026-11-25T06:00:04Z","up":"xL.g?","t":"==+","m":"!#("}
// `up` has one character per key: "." not checked, "x" down, "?" online with no time, or
// a response-time level, written as its difference from the mean of the instance's last
// four levels since the key table (or, with none, as the level itself). `t` has one
// character per online instance: "=" when the services it tested are among those its
// last three checks tested, whose majority mark is the prediction; "+" when it is not.
// `m` holds, four to a character, one trit per predicted service of a "=" instance
// (0 as predicted, 1 the other result, 2 untested) or per service of a "+" instance
// (0 untested, 1 passed, 2 failed). Each run reads the ones before it in its file.
// Older files hold run lines {"at":…,"s":["230 1-0","x",null,…]}: per key "x" (down),
// "<ms>" or "<ms> <marks>" (online; a mark per service, 1 passed, 0 failed, - untested),
// or null (not checked); they are read as they are, and that notation is also how a
// decoded run keeps its samples in memory.
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

export function decodeSample(text: unknown, services: string[]): Sample | null {
  if (typeof text !== "string") return null;
  if (text === "x") return { online: false, ms: null, services: {} };
  const space = text.indexOf(" ");
  const parsed = Number(space === -1 ? text : text.slice(0, space));
  const ms = Number.isFinite(parsed) ? parsed : null;
  return space === -1 ? { online: true, ms, services: {} } : new PackedSample(ms, packedMarks(text.slice(space + 1), services.length), services);
}

/** Old-format marks ("1" passed, "0" failed, anything else untested) as a packed sample's marks. */
function packedMarks(marks: string, services: number): Uint8Array {
  const packed = new Uint8Array(services);
  for (let index = 0; index < Math.min(marks.length, services); index++) packed[index] = marks[index] === "1" ? 1 : marks[index] === "0" ? 2 : 0;
  return packed;
}


/** Level characters (no "x", ".", "?"): a difference from the prediction is stored modulo 64, offset by 32. */
const LEVELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwyz0123456789-_~";
/** 81 printable characters that JSON does not escape: four trits each. */
const TRITS = Array.from({ length: 94 }, (_, index) => String.fromCharCode(33 + index)).filter((char) => char !== '"' && char !== "\\").slice(0, 81).join("");
/** Marks as numbers: 0 untested, 1 passed, 2 failed. */
type Marks = ArrayLike<number>;
const LEVEL_MEMORY = 4;
const MARK_MEMORY = 3;

/**
 * What the earlier runs of a day file, since its key table, predict for each instance: the
 * mean of its last four response-time levels, and per service the most frequent mark of its
 * last three checks (the latest breaks a tie). Kept in typed arrays: a reader walks every
 * run of 90 days.
 */
class Predictions {
  readonly #services: number;
  readonly #levels: Int16Array;
  /** Checks with a level, and online checks, seen per key: the next slot is the count modulo the memory. */
  readonly #levelsSeen: Uint32Array;
  /** Per key and service, its last three marks, two bits each, the latest lowest. */
  readonly #marks: Uint8Array;
  readonly #marksSeen: Uint32Array;
  readonly #guess: Uint8Array;

  constructor(keys: number, services: number) {
    this.#services = services;
    this.#levels = new Int16Array(keys * LEVEL_MEMORY);
    this.#levelsSeen = new Uint32Array(keys);
    this.#marks = new Uint8Array(keys * services);
    this.#marksSeen = new Uint32Array(keys);
    this.#guess = new Uint8Array(services);
  }

  level(index: number): number | null {
    const count = Math.min(this.#levelsSeen[index]!, LEVEL_MEMORY);
    if (count === 0) return null;
    let sum = 0;
    for (let slot = 0; slot < count; slot++) sum += this.#levels[index * LEVEL_MEMORY + slot]!;
    return Math.round(sum / count);
  }

  /** Remembers an online check's level alone: for a reader that skips the marks of the rest of the file. */
  seenLevel(index: number, level: number | null): void {
    if (level !== null) this.#levels[index * LEVEL_MEMORY + (this.#levelsSeen[index]!++ % LEVEL_MEMORY)] = level;
  }

  /**
   * The predicted mark of one service: the majority of the last three checks, the latest
   * breaking a tie; untested before any check. Of three marks only the two older ones can
   * outvote the latest, and only when they agree.
   */
  guess(index: number, service: number): number {
    const seen = this.#marksSeen[index]!;
    if (seen === 0) return 0;
    const last = this.#marks[index * this.#services + service]!;
    return seen < MARK_MEMORY ? last & 3 : MAJORITY[last]!;
  }

  /** The predicted marks (a view that the next call reuses). */
  marks(index: number): Uint8Array {
    for (let service = 0; service < this.#services; service++) this.#guess[service] = this.guess(index, service);
    return this.#guess;
  }

  /** Remembers an online check. */
  seen(index: number, level: number | null, marks: Marks, offset = 0): void {
    this.seenLevel(index, level);
    this.#marksSeen[index]!++;
    const base = index * this.#services;
    for (let service = 0; service < this.#services; service++) {
      this.#marks[base + service] = ((this.#marks[base + service]! << 2) | (marks[offset + service] ?? 0)) & 63;
    }
  }
}

/** Three marks packed as Predictions keeps them → the prediction: the older two when they agree, else the latest. */
const MAJORITY = Uint8Array.from({ length: 64 }, (_, packed) => {
  const latest = packed & 3, older = (packed >> 2) & 3, oldest = (packed >> 4) & 3;
  return older === oldest ? older : latest;
});

/** Encodes a run against its table and the predictions of the runs before it in the file, which it then updates. */
export function encodeRun(run: Run, table: KeyTable, predictions: Predictions): string {
  let up = "";
  let tested = "";
  const trits: number[] = [];
  table.keys.forEach((key, index) => {
    const sample = run.samples.get(key);
    if (!sample) return void (up += ".");
    if (!sample.online) return void (up += "x");
    const level = sample.ms === null ? null : levelOf(sample.ms);
    const predicted = predictions.level(index);
    up += level === null ? "?" : LEVELS[predicted === null ? level : (level - predicted + 32 + 128) % 64];
    const marks = table.services.map((name) => (name in sample.services ? (sample.services[name] ? 1 : 2) : 0));
    const expected = predictions.marks(index);
    if (marks.every((mark, service) => mark === 0 || expected[service] !== 0)) {
      tested += "=";
      expected.forEach((guess, service) => {
        if (guess !== 0) trits.push(marks[service] === guess ? 0 : marks[service] === 0 ? 2 : 1);
      });
    } else {
      tested += "+";
      trits.push(...marks);
    }
    predictions.seen(index, level, marks);
  });
  let m = "";
  for (let at = 0; at < trits.length; at += 4) m += TRITS[trits[at]! * 27 + (trits[at + 1] ?? 0) * 9 + (trits[at + 2] ?? 0) * 3 + (trits[at + 3] ?? 0)];
  return JSON.stringify({ at: run.at, up, t: tested, m, f: encodeTotals(run.totals ?? serviceTotals(run), table.services) });
}

const LEVEL_CODES = new Int8Array(128).fill(-1);
for (let code = 0; code < LEVELS.length; code++) LEVEL_CODES[LEVELS.charCodeAt(code)] = code;

/** Per key: 0 not checked, 1 down, 2 online without a time, 3 + level online. */
const NOT_CHECKED = 0;
const DOWN = 1;
const NO_TIME = 2;

/** TRITS character code → its four trits, most significant first (all 0 for any other character). */
const TRIT_DIGITS = new Uint8Array(128 * 4);
for (let code = 0; code < TRITS.length; code++) {
  for (let place = 0; place < 4; place++) TRIT_DIGITS[TRITS.charCodeAt(code) * 4 + place] = Math.floor(code / 3 ** (3 - place)) % 3;
}

/**
 * Decodes a run line into packed samples, updating the predictions as the writer did. With
 * `marks` false it reads the states alone (a tenth of the work) and leaves the mark
 * predictions behind: only for lines after which no line of the file needs them.
 */
function decodeRunLine(value: { up: string; t: string; m: string }, table: IndexedTable, predictions: Predictions, withMarks = true): PackedSamples {
  const keys = table.keys.length;
  const services = withMarks ? table.services.length : 0;
  const states = new Uint8Array(keys);
  const marks = new Uint8Array(keys * services);
  const { m } = value;
  let trit = 0;
  const nextTrit = () => {
    const code = m.charCodeAt(trit >> 2);
    return code < 128 ? TRIT_DIGITS[code * 4 + (trit++ & 3)]! : (trit++, 0);
  };
  let nextTested = 0;
  for (let index = 0; index < keys; index++) {
    const char = value.up.charCodeAt(index);
    if (Number.isNaN(char) || char === 46 /* . */) continue;
    if (char === 120 /* x */) {
      states[index] = DOWN;
      continue;
    }
    const code = char === 63 /* ? */ ? -1 : LEVEL_CODES[char] ?? -1;
    const predicted = predictions.level(index);
    const level = code < 0 ? null : predicted === null ? code : (predicted + code - 32 + 64) % 64;
    states[index] = level === null ? NO_TIME : 3 + level;
    if (!withMarks) {
      predictions.seenLevel(index, level);
      continue;
    }
    const offset = index * services;
    if (value.t[nextTested++] === "+") for (let service = 0; service < services; service++) marks[offset + service] = nextTrit();
    else {
      for (let service = 0; service < services; service++) {
        const guess = predictions.guess(index, service);
        if (guess === 0) continue; // untested as predicted: no trit
        const change = nextTrit();
        marks[offset + service] = change === 0 ? guess : change === 1 ? 3 - guess : 0;
      }
    }
    predictions.seen(index, level, marks, offset);
  }
  return new PackedSamples(table, states, marks);
}

/** The samples of a run line in the current format, decoded into typed arrays and read one sample at a time. */
class PackedSamples extends StoredSamples {
  readonly states: Uint8Array;
  readonly marks: Uint8Array;

  constructor(table: IndexedTable, states: Uint8Array, marks: Uint8Array) {
    super(table);
    this.states = states;
    this.marks = marks;
  }

  protected at(index: number): Sample | null {
    const state = this.states[index]!;
    if (state === NOT_CHECKED) return null;
    if (state === DOWN) return { online: false, ms: null, services: {} };
    const services = this.table.services.length;
    const marks = this.marks.subarray(index * services, (index + 1) * services);
    return new PackedSample(stateMs(state), marks, this.table.services);
  }

  get columns(): RunColumns {
    return { keys: this.table.keys, services: this.table.services, states: this.states, marks: this.marks };
  }
}

/**
 * A run's samples as columns, for readers that walk every sample of many runs (the site
 * reads 90 days of 10,000 instances) without building an object per sample. The runs of
 * one day file share their `keys` and `services` arrays, so a reader can map positions
 * once per table.
 */
export interface RunColumns {
  keys: readonly string[];
  services: readonly string[];
  /** Per key: 0 not checked, 1 down, 2 online without a time, 3 + level online (see stateMs). */
  states: Uint8Array;
  /** Per key, one per service in order: 0 untested, 1 passed, 2 failed. */
  marks: Uint8Array;
}

export const STATE = { NOT_CHECKED, DOWN, NO_TIME } as const;

/** The response time of an online state, null when it has none. */
export function stateMs(state: number): number | null {
  return state > NO_TIME ? msOfLevel(state - 3) : null;
}

/** The run as columns: stored runs have them already; others (a run just made, the older line format) are laid out once. */
export function columnsOf(run: Run): RunColumns {
  if (run.samples instanceof PackedSamples) return run.samples.columns;
  const { keys, services } = tableFor(run);
  const states = new Uint8Array(keys.length);
  const marks = new Uint8Array(keys.length * services.length);
  keys.forEach((key, index) => {
    const sample = run.samples.get(key);
    if (!sample) return;
    states[index] = !sample.online ? DOWN : sample.ms === null ? NO_TIME : 3 + levelOf(sample.ms);
    services.forEach((name, service) => {
      if (name in sample.services) marks[index * services.length + service] = sample.services[name] ? 1 : 2;
    });
  });
  return { keys, services, states, marks };
}

/** An online sample whose service marks (0 untested, 1 passed, 2 failed) are turned into an object only when read. */
class PackedSample implements Sample {
  readonly online = true;
  readonly ms: number | null;
  readonly #marks: Uint8Array;
  readonly #names: string[];
  #services: Record<string, boolean> | undefined;

  constructor(ms: number | null, marks: Uint8Array, names: string[]) {
    this.ms = ms;
    this.#marks = marks;
    this.#names = names;
  }

  get services(): Record<string, boolean> {
    if (!this.#services) {
      this.#services = {};
      for (let index = 0; index < this.#marks.length; index++) if (this.#marks[index]) this.#services[this.#names[index]!] = this.#marks[index] === 1;
    }
    return this.#services;
  }
}

/** What an old-format sample says for the predictions. */
function legacyCheck(text: unknown, services: number): { level: number | null; marks: Marks } | null {
  if (typeof text !== "string" || text === "x") return null;
  const [ms, marks = ""] = text.split(" ");
  const parsed = Number(ms);
  return {
    level: Number.isFinite(parsed) ? levelOf(parsed) : null,
    marks: packedMarks(marks, services),
  };
}

/** A day file read: its runs in order, and what the next line appended to it is written against. */
export interface DayFile {
  runs: Run[];
  table: KeyTable | undefined;
  predictions: Predictions | undefined;
}

/**
 * Reads a day file; malformed lines are skipped, never fatal. With `marks` false, a run line
 * that carries its totals, and that no line without them follows, is read for its states
 * alone: its samples then have no services (the site's reader, which takes the fleet's
 * figures from the totals). The predictions returned are then only good for reading.
 */
export function decodeDay(text: string, { marks = true }: { marks?: boolean } = {}): DayFile {
  const runs: Run[] = [];
  let table: IndexedTable | undefined;
  let predictions: Predictions | undefined;
  const values: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isRecord(value)) values.push(value);
    } catch {
      // a torn or foreign line: skipped
    }
  }
  // Up to the last run line without totals, every mark is decoded: the lines after it are predicted from them.
  let lastWithoutTotals = -1;
  let services: string[] = [];
  values.forEach((value, index) => {
    if (Array.isArray(value.keys) && Array.isArray(value.services)) services = value.services.map(String);
    else if (typeof value.at === "string" && decodeTotals(value.f, services) === undefined) lastWithoutTotals = index;
  });
  for (const [index, value] of values.entries()) {
    if (Array.isArray(value.keys) && Array.isArray(value.services)) {
      const keys = value.keys.map(String);
      table = { keys, services: value.services.map(String), index: new Map(keys.map((key, index) => [key, index])) };
      predictions = new Predictions(keys.length, table.services.length);
    } else if (table && predictions && typeof value.at === "string") {
      const totals = decodeTotals(value.f, table.services);
      if (typeof value.up === "string" && typeof value.t === "string" && typeof value.m === "string") {
        const withMarks = marks || index <= lastWithoutTotals;
        runs.push({ at: value.at, samples: decodeRunLine({ up: value.up, t: value.t, m: value.m }, table, predictions, withMarks), ...(totals && { totals }) });
      } else if (Array.isArray(value.s)) {
        value.s.forEach((text, index) => {
          const check = legacyCheck(text, table!.services.length);
          if (check && index < table!.keys.length) predictions!.seen(index, check.level, check.marks);
        });
        runs.push({ at: value.at, samples: new EncodedSamples(table, value.s), ...(totals && { totals }) });
      }
    }
  }
  return { runs, table, predictions };
}

/** Runs in one day file, in order. */
export function decodeLines(text: string, options: { marks?: boolean } = {}): Run[] {
  return decodeDay(text, options).runs;
}

/** Predictions for a file that starts with `table`. */
export function freshPredictions(table: KeyTable): Predictions {
  return new Predictions(table.keys.length, table.services.length);
}

export type { Predictions };
