// Versions across the list: which software each entry runs, its version as a semantic
// version, and whether it is behind the newest release any listed instance runs. cobalt 7
// ("7.15") and 10+ ("10.9.3") read alike; Mastodon forks' build suffixes ("4.2.10+glitch")
// are ignored for the order; pre-releases ("4.3.0-beta.1", "11.0.0-dev") sort before their
// release and never count as the newest release.
import semver from "semver";

export interface VersionFacts {
  /** What is compared: "cobalt", or the Mastodon-API server's software ("mastodon", "pleroma"…). */
  software: string;
  /** The version as the instance reports it; null when unknown. */
  raw: string | null;
  /** The same as a semantic version ("7.15.0"); null when it has none. */
  semver: string | null;
}

interface Versioned {
  kind: string;
  version?: string | null;
  software?: { name?: string | null; version?: string | null } | null;
}

/** Software names as NodeInfo spells them, lower-cased and capped, so that they can key a map. */
const softwareName = (name: string) => name.trim().toLowerCase().replace(/[^a-z0-9._-]+/g, "-").slice(0, 60) || "unknown";

export function versionFacts(entry: Versioned): VersionFacts {
  const own = entry.software?.name ? { software: softwareName(entry.software.name), raw: entry.software.version ?? entry.version ?? null } : null;
  const { software, raw } = own ?? { software: entry.kind === "cobalt" ? "cobalt" : entry.kind, raw: entry.version ?? null };
  // `git describe` suffixes ("3.9.3-0-gd83f5f6": a build of 3.9.3's commit) are builds, not pre-releases.
  const parsed = raw ? semver.coerce(raw.replace(/-\d+-g[0-9a-f]{6,40}\b/, ""), { includePrerelease: true }) : null;
  return { software, raw, semver: parsed ? parsed.version : null };
}

/** The newest release among `versions` (semantic versions; pre-releases do not count), or null. */
export function newestRelease(versions: Iterable<string | null>): string | null {
  let newest: string | null = null;
  for (const version of versions) {
    if (!version || semver.prerelease(version)) continue;
    if (newest === null || semver.gt(version, newest)) newest = version;
  }
  return newest;
}

/** Whether `version` is older than `newest`; false when either is unknown. */
export function isBehind(version: string | null, newest: string | null): boolean {
  return version !== null && newest !== null && semver.lt(version, newest);
}

/** Newest first; versions that are not semantic sort last, by their text. */
export function compareVersionsDescending(a: string | null, b: string | null): number {
  if (a && b) return semver.rcompare(a, b);
  return a ? -1 : b ? 1 : 0;
}

/** Per software (in `kind` order): the newest release the listed instances run. */
export function newestReleases(entries: Versioned[]): Map<string, string> {
  const bySoftware = new Map<string, string[]>();
  for (const entry of entries) {
    const facts = versionFacts(entry);
    if (!facts.semver) continue;
    const list = bySoftware.get(facts.software);
    if (list) list.push(facts.semver);
    else bySoftware.set(facts.software, [facts.semver]);
  }
  const newest = new Map<string, string>();
  for (const [software, versions] of bySoftware) {
    const release = newestRelease(versions);
    if (release) newest.set(software, release);
  }
  return newest;
}
