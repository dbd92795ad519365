// Splits a list across parallel jobs. An instance's shard depends only on its kind and
// host, so it stays in the same shard (and artifact) as other entries come and go.
import { createHash } from "node:crypto";
import { hostOf, listedUrl, type ListEntry } from "./list.ts";

export interface Shard {
  /** 1-based: shard 1 of 4 is the first. */
  index: number;
  count: number;
}

/** Parses `I/N` (e.g. `2/4`), with an error that says what was expected. */
export function parseShard(value: string): Shard {
  const match = /^(\d{1,3})\/(\d{1,3})$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new RangeError(`--shard must be I/N with 1 <= I <= N (e.g. --shard 2/4), not "${value}"`);
  }
  return { index, count };
}

/** The 1-based shard an instance belongs to among `count`. */
export function shardOf(kind: string, url: string, count: number): number {
  const digest = createHash("sha256").update(`${kind} ${hostOf(url)}`).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

export function entriesOfShard<T extends ListEntry>(entries: T[], shard: Shard): T[] {
  return entries.filter((entry) => shardOf(entry.kind, listedUrl(entry), shard.count) === shard.index);
}
