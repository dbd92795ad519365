// Preload for CLI runs in tests (`node --import ./test/support/loopback-dns.ts`): DNS is
// replaced by loopbackResolver, so names ending in .test reach 127.0.0.1 and no query
// ever leaves the machine.
import { createRequire, syncBuiltinESMExports } from "node:module";
import { loopbackResolver } from "./loopback.ts";

const require = createRequire(import.meta.url);
require("node:dns/promises").lookup = loopbackResolver();
syncBuiltinESMExports();
