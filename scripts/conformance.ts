// `npm run conformance -- --cobalt PATH`: runs the conformance suite (test/conformance.test.ts)
// against a cobalt release of your choice, a `.tar.gz` of its api/ and packages/ folders or a
// checkout of imputnet/cobalt, so a probe change or a new release is checked against the
// real server before it reaches the list. The install is cached in .cache/upstream-cobalt/.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { guardOutput } from "./lib/log.ts";

guardOutput();
const { values } = parseArgs({ options: { cobalt: { type: "string" } } });
const source = values.cobalt ?? process.env.COBALT_UPSTREAM;
if (!source) {
  console.error("usage: npm run conformance -- --cobalt PATH (a cobalt .tar.gz of api/ and packages/, or a checkout of imputnet/cobalt)");
  process.exit(2);
}
const path = resolve(source);
if (!existsSync(path)) {
  console.error(`--cobalt ${source}: no such file or folder`);
  process.exit(2);
}
const root = fileURLToPath(new URL("../", import.meta.url));
const child = spawn(process.execPath, ["--test", "--test-reporter=spec", "test/conformance.test.ts"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, COBALT_UPSTREAM: path },
});
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
