// Output entries as the probe writes them, valid against the schema, for tests that start
// from data rather than from a probe run (a forged shard artifact is such data too).
import { assertValidOutput, type Instance } from "../../scripts/lib/run.ts";

/** A start time of its own per host: entries for two hosts are two servers, unless a test says otherwise. */
const startTimeOf = (host: string): number => 1724088311229 + [...host].reduce((sum, character) => (sum * 31 + character.charCodeAt(0)) % 1_000_000_007, 0);

/** A cobalt entry for `host`, online and passing, with `overrides` applied; checked against the schema. */
export function cobaltEntry(host: string, overrides: Record<string, unknown> = {}): Instance {
  const entry = {
    kind: "cobalt", api: host, api_url: `https://${host}`, frontEnd: "", frontend_url: null, name: host, protocol: "https",
    trust: "unknown", api_online: true, frontend_online: null, offline_reason: null, checked_at: "2026-11-25T06:17:00Z",
    data_updated_at: "2026-11-25T06:17:00Z", stale: false, response_ms: 120, api_generation: "v10", version: "10.9.3",
    commit: "a1b2c3d", branch: "main", git_remote: "imputnet/cobalt", is_fork: false, startTime: startTimeOf(host), cors: 1,
    turnstile: false, protection: [], services: { youtube: true }, service_results: { youtube: { result: "pass", status: "tunnel", error: null } },
    services_tested: 1, score: 100, ...overrides,
  };
  assertValidOutput([entry]);
  return entry as Instance;
}
