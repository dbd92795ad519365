// Feed events beyond one instance's status: a service broken everywhere (and its end), a
// new release first run by a listed instance, and TLS certificates about to expire.
import type { StoredEvent } from "./store.ts";
import { allBrokenEpisodes, type ServicePoint } from "./fleet.ts";
import { newestReleases } from "../versions.ts";
import semver from "semver";

/** The feed warns when a certificate has this many days left or fewer (once per threshold). */
export const CERTIFICATE_WARNINGS = [14, 3] as const;

/** Fleet events are filed under these keys, beside the instances' "kind host" keys. */
export const serviceKey = (service: string) => `service ${service}`;
export const releaseKey = (software: string) => `release ${software}`;

/** Episodes of "broken everywhere" in the fleet's `series` confirmed, or confirmed over, by the run at `at`. */
export function serviceEvents(series: Map<string, ServicePoint[]>, at: string): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (const episode of allBrokenEpisodes(series)) {
    const base = { at, key: serviceKey(episode.service), name: episode.service, url: "" };
    if (episode.confirmed === at) events.push({ ...base, type: "service_broken", from: episode.started, to: `${episode.tested - episode.passed}/${episode.tested}` });
    if (episode.endConfirmed === at) events.push({ ...base, type: "service_restored", from: episode.started, to: episode.ended });
  }
  return events;
}

interface VersionedEntry {
  kind: string;
  version?: string | null;
  software?: { name?: string | null; version?: string | null } | null;
}

/** A release newer than any the list ran before, per software; nothing on the first run. */
export function releaseEvents(before: VersionedEntry[], after: VersionedEntry[], at: string): StoredEvent[] {
  if (!before.length) return [];
  const earlier = newestReleases(before);
  const events: StoredEvent[] = [];
  for (const [software, newest] of newestReleases(after)) {
    const previous = earlier.get(software);
    if (previous && semver.gt(newest, previous)) events.push({ at, type: "release", key: releaseKey(software), name: software, url: "", from: previous, to: newest });
  }
  return events;
}

interface CertificateEntry {
  key: string;
  name: string;
  url: string;
  tls_days_left?: number | null;
  tls_expires_at?: string | null;
}

/** A certificate that crossed a warning threshold since the previous run (the lowest one crossed). */
export function certificateEvents(before: CertificateEntry[], after: CertificateEntry[], at: string): StoredEvent[] {
  const earlier = new Map(before.map((entry) => [entry.key, entry]));
  const events: StoredEvent[] = [];
  for (const entry of after) {
    const days = entry.tls_days_left;
    if (typeof days !== "number" || !entry.tls_expires_at) continue;
    const old = earlier.get(entry.key);
    // A renewed certificate (a later expiry) starts over.
    const was = old?.tls_expires_at === entry.tls_expires_at && typeof old.tls_days_left === "number" ? old.tls_days_left : Infinity;
    const crossed = CERTIFICATE_WARNINGS.filter((threshold) => days <= threshold && was > threshold).at(-1);
    if (crossed !== undefined) events.push({ at, type: "certificate_expiring", key: entry.key, name: entry.name, url: entry.url, from: String(crossed), to: entry.tls_expires_at });
  }
  return events;
}
