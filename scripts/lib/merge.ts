// Combines the outputs of the shards of one run into the list's full output. The list
// decides which instances exist and their order; an instance no shard reported keeps its
// previous values, marked stale, so a failed shard costs freshness, never data.
import { listedUrl, type InstanceList, type ListEntry } from "./list.ts";
import { instanceKey, type Instance } from "./run.ts";
import { isoSeconds } from "./probe-kind.ts";
import { shardOf } from "./shard.ts";
import { KINDS } from "../probes/index.ts";

export interface ShardOutput {
  /** Where it came from, for messages. */
  source: string;
  entries: Instance[];
}

export interface MergeReport {
  /** Instances found in a shard output. */
  fresh: number;
  /** Listed instances no shard reported, by shard number ("3/4" → URLs). */
  missing: Map<string, string[]>;
  /** Instances reported by more than one shard output: the latest check was kept. */
  duplicates: string[];
  /** Entries in shard outputs that are not (or no longer) in the list, or not in that output's shard: dropped. */
  unlisted: string[];
}

export interface MergeResult {
  entries: Instance[];
  report: MergeReport;
}

/** The URL an output entry was listed under (kind modules know where they keep it). */
export function outputUrl(entry: Instance): string {
  const kind = KINDS[entry.kind];
  const record = entry as unknown as Record<string, unknown>;
  return kind ? kind.listedUrl(entry) : String(record.url ?? record.api_url ?? "");
}

/** The key history files an entry under: "kind host[:port]". */
export const keyOf = (entry: Instance) => instanceKey(entry.kind, outputUrl(entry));

export function mergeShards(list: InstanceList, outputs: ShardOutput[], previous: Instance[], now = new Date()): MergeResult {
  const report: MergeReport = { fresh: 0, missing: new Map(), duplicates: [], unlisted: [] };
  const listed = new Set(list.instances.map((entry) => instanceKey(entry.kind, listedUrl(entry))));
  const reported = new Map<string, Instance>();
  for (const output of outputs) {
    const shard = shardNamed(output.source, list.probe.shards);
    for (const entry of output.entries) {
      const key = instanceKey(entry.kind, outputUrl(entry));
      if (!listed.has(key)) {
        report.unlisted.push(`${outputUrl(entry)} (${output.source})`);
        continue;
      }
      // A shard's output speaks for its own share of the list only.
      if (shard !== null && shardOf(entry.kind, outputUrl(entry), list.probe.shards) !== shard) {
        report.unlisted.push(`${outputUrl(entry)} (${output.source}, which is not its shard)`);
        continue;
      }
      const earlier = reported.get(key);
      if (earlier) {
        report.duplicates.push(outputUrl(entry));
        if (entry.checked_at <= earlier.checked_at) continue;
      }
      reported.set(key, entry);
    }
  }
  const previousByKey = new Map(previous.map((entry) => [instanceKey(entry.kind, outputUrl(entry)), entry]));
  const entries = list.instances.map((entry) => {
    const key = instanceKey(entry.kind, listedUrl(entry));
    const fresh = reported.get(key);
    if (fresh) {
      report.fresh++;
      return fresh;
    }
    const shard = `${shardOf(entry.kind, listedUrl(entry), list.probe.shards)}/${list.probe.shards}`;
    report.missing.set(shard, [...(report.missing.get(shard) ?? []), listedUrl(entry)]);
    return unrefreshed(entry, list, previousByKey.get(key), now);
  });
  return { entries, report };
}

/** The shard a file is named for (`instances-shard-I-of-N.json`, as the workflow names them), when N is the list's. */
function shardNamed(source: string, count: number): number | null {
  const match = /instances-shard-(\d+)-of-(\d+)\.json$/.exec(source);
  return match && Number(match[2]) === count ? Number(match[1]) : null;
}

/** A listed instance that was not checked in this run: its last known values, marked stale. */
function unrefreshed(entry: ListEntry, list: InstanceList, previous: Instance | undefined, now: Date): Instance {
  if (previous) return { ...previous, stale: previous.data_updated_at !== null };
  const kind = KINDS[entry.kind];
  if (!kind) throw new Error(`no probe for kind "${entry.kind}"`);
  // Never checked and never known: an offline entry that says why, built without any request.
  return kind.failed(entry, "not_checked", { http: undefined as never, list, previous: undefined, checkedAt: new Date(isoSeconds(now)), env: {} });
}

/** One line per fact worth knowing about a merge, for the log. */
export function describeMerge(report: MergeReport, total: number): string[] {
  const lines = [`${report.fresh} of ${total} instances came from the shards`];
  for (const [shard, urls] of [...report.missing].sort()) {
    lines.push(`shard ${shard} reported no result for ${urls.length} instance(s); they keep their previous data, marked stale: ${urls.slice(0, 5).join(", ")}${urls.length > 5 ? ", …" : ""}`);
  }
  if (report.duplicates.length > 0) lines.push(`reported by more than one shard (the latest check was kept): ${report.duplicates.join(", ")}`);
  if (report.unlisted.length > 0) lines.push(`not in the list, dropped: ${report.unlisted.join(", ")}`);
  return lines;
}
