// Preload for the demo's probe run (`node --import scripts/lib/demo-dns.ts scripts/probe.ts …`):
// DNS is replaced so the simulated fleets' names reach 127.0.0.1 and no other name resolves,
// so the demo never sends a request off this machine.
import { createRequire, syncBuiltinESMExports } from "node:module";
import { COBALT_FLEET_DOMAIN } from "../bench/cobalt-fleet.ts";
import { MASTODON_FLEET_DOMAIN } from "../bench/mastodon-fleet.ts";
import { fleetResolver } from "../bench/virtual-hosts.ts";

const require = createRequire(import.meta.url);
require("node:dns/promises").lookup = fleetResolver(COBALT_FLEET_DOMAIN, MASTODON_FLEET_DOMAIN);
syncBuiltinESMExports();
