// The original public cobalt list's contract, as its API page states it: the keys of its
// example entry, each with one type and never null, and `services` naming every service.
// Clients of that list do `int(score)` and `version.startsWith(…)`; these checks are theirs.
import assert from "node:assert/strict";

/** Each key of the old list's example entry and the one type it always has. */
export const SEED_KEYS = {
  trust: "string",
  api_online: "boolean",
  cors: "number",
  commit: "string",
  services: "object",
  version: "string",
  branch: "string",
  score: "number",
  protocol: "string",
  name: "string",
  startTime: "number",
  api: "string",
  frontEnd: "string",
} as const;

/** Fails, naming the entry and the key, unless every cobalt entry keeps the old contract for the list's services. */
export function assertSeedContract(entries: readonly { kind: string }[], services: readonly string[]): void {
  const cobalt = entries.filter((entry) => entry.kind === "cobalt") as unknown as Record<string, unknown>[];
  assert.ok(cobalt.length > 0, "no cobalt entry to check");
  for (const entry of cobalt) {
    const where = `entry ${String(entry.api_url ?? entry.api)}`;
    for (const [key, type] of Object.entries(SEED_KEYS)) {
      assert.ok(entry[key] !== null && entry[key] !== undefined, `${where}: ${key} is ${entry[key]}`);
      assert.equal(typeof entry[key], type, `${where}: ${key} is ${JSON.stringify(entry[key])}, not a ${type}`);
    }
    assert.ok(["safe", "unknown", "not_safe"].includes(entry.trust as string), `${where}: trust ${entry.trust}`);
    assert.ok(["http", "https"].includes(entry.protocol as string), `${where}: protocol ${entry.protocol}`);
    assert.ok(entry.cors === 0 || entry.cors === 1, `${where}: cors ${entry.cors}`);
    assert.ok(Number.isFinite(entry.score) && (entry.score as number) >= 0 && (entry.score as number) <= 100, `${where}: score ${entry.score}`);
    assert.ok(Number.isFinite(entry.startTime), `${where}: startTime ${entry.startTime}`);
    const published = entry.services as Record<string, unknown>;
    assert.deepEqual(Object.keys(published).sort(), [...services].sort(), `${where}: services must name every service of the list`);
    for (const [service, value] of Object.entries(published)) assert.equal(typeof value, "boolean", `${where}: services.${service} is ${value}`);
  }
}
