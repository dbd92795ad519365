// The demo behind `npm start -- --demo` (and `npm start` offline with no data yet): the
// benchmark's simulated fleets, small, on loopback (cobalt instances that work, hang,
// refuse connections or want an API key; Mastodon servers new and old, a few that never
// answer), and a list of them in a temporary folder for the real probe. Nothing goes into
// data/, and no request leaves the machine (the probe runs with demo-dns.ts preloaded).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCobaltFleet } from "../bench/cobalt-fleet.ts";
import { startMastodonFleet } from "../bench/mastodon-fleet.ts";

/** Node's --import for the demo's probe run: the fleets' host names resolve to 127.0.0.1, and nothing else does. */
export const DEMO_DNS = new URL("./demo-dns.ts", import.meta.url).pathname;

export interface Demo {
  dir: string;
  listFile: string;
  instancesFile: string;
  /** Stops the simulated instances (once probed, the site needs them no more). */
  stopFleet(): Promise<void>;
  /** Deletes the temporary folder. */
  remove(): void;
}

export async function startDemo(): Promise<Demo> {
  // No rate limiting to wait out, and a hanging instance costs a few seconds, not ten.
  const timeoutMs = 4_000;
  const cobalt = await startCobaltFleet({ instances: 20, windowMs: 60_000, maxPosts: 100, timeoutMs });
  const mastodon = await startMastodonFleet({ servers: 20, hanging: 0.1 });
  const dir = mkdtempSync(join(tmpdir(), "instance-list-demo-"));
  const listFile = join(dir, "list.json");
  const list = {
    title: "Demo instance list",
    description: "A demo: simulated cobalt and Mastodon instances on this computer, probed by the real probe.",
    probe: { timeoutMs, allowPrivateAddresses: ["127.0.0.1/32"] },
    services: cobalt.list.services,
    instances: [
      ...cobalt.list.instances.map((entry, index) => ({ ...entry, name: `Demo cobalt ${index + 1}`, ...(index % 3 === 0 ? { trust: "safe" as const } : {}) })),
      ...mastodon.list.instances,
    ],
  };
  writeFileSync(listFile, `${JSON.stringify(list, null, 2)}\n`);
  return {
    dir,
    listFile,
    instancesFile: join(dir, "instances.json"),
    stopFleet: async () => void await Promise.all([cobalt.close(), mastodon.close()]),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
