// The contract between the run and a kind of instance: adding a kind is one module that
// implements KindProbe, one schema file, and one line in probes/index.ts.
import type { Http } from "./http.ts";
import type { InstanceList, ListEntry } from "./list.ts";

export interface ProbeContext<Entry> {
  http: Http;
  list: InstanceList;
  /** This instance's entry from the previous run, if any: its values are kept when a check fails. */
  previous: Entry | undefined;
  /** When this instance's check started. */
  checkedAt: Date;
  /** Environment variables, for credentials named in the list. */
  env: Record<string, string | undefined>;
}

export interface KindProbe<L extends ListEntry = ListEntry, Entry extends { kind: string } = { kind: string }> {
  readonly kind: L["kind"];
  /**
   * True when a probe of this kind is bound by the instance's rate-limit windows rather than
   * by its requests (cobalt allows 20 download tests a minute, and lists test more services
   * than that): every such instance starts with the run, so that their windows elapse
   * together. Instances of other kinds start a bounded number at a time, in list order, so
   * that what a run holds in memory does not grow with the list.
   */
  readonly windowBound?: boolean;
  /** The URL an output entry was listed under, to match it with its list entry and earlier runs. */
  listedUrl(entry: Entry): string;
  /** Checks one instance. An instance that is down is data, not an error: this only throws on a bug. */
  probe(entry: L, context: ProbeContext<Entry>): Promise<Entry>;
  /** The entry for an instance whose probe threw: the previous values marked stale, or an empty offline entry. */
  failed(entry: L, reason: string, context: ProbeContext<Entry>): Entry;
}

/** ISO 8601 to the second: finer precision only makes the committed data noisier. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
