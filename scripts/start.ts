// `npm start`: probe the list, build the site and serve it locally, rebuilding when a
// template or the data changes. When the probe cannot finish (no network, a bad list)
// the site is built from the data already in place, so there is always a page to look at.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { guardOutput } from "./lib/log.ts";

const USAGE = "usage: npm start -- [--no-probe] [--port 8080] [--list data/list.json] [--out data/instances.json]";
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const ELEVENTY = fileURLToPath(new URL("../node_modules/@11ty/eleventy/cmd.cjs", import.meta.url));

guardOutput();
const { values } = parseArgs({
  options: {
    list: { type: "string", default: "data/list.json" },
    out: { type: "string", default: "data/instances.json" },
    port: { type: "string", default: process.env.PORT ?? "8080" },
    "no-probe": { type: "boolean", default: false },
    help: { type: "boolean" },
  },
  strict: true,
});

/** Runs a Node script in the foreground; resolves with its exit code. */
function run(script: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
    // Ctrl-C reaches the child too (same process group); a plain kill of this process is passed on.
    const stop = () => child.kill("SIGTERM");
    process.once("SIGTERM", stop);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      process.off("SIGTERM", stop);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

if (values.help) {
  console.log(USAGE);
} else if (!/^\d{1,5}$/.test(values.port)) {
  console.error(`error: --port must be a port number, not "${values.port}".\n${USAGE}`);
  process.exitCode = 1;
} else {
  if (!values["no-probe"]) {
    const code = await run("scripts/probe.ts", ["--list", values.list, "--out", values.out]);
    if (code !== 0) {
      const fallback = existsSync(values.out) ? `the data already in ${values.out}` : "no data yet (an empty list)";
      console.error(`\nThe probe did not finish (see above); building the site from ${fallback}.\n`);
    }
  }
  process.exitCode = await run(ELEVENTY, ["--config=site/eleventy.config.js", "--serve", `--port=${values.port}`], {
    LIST_FILE: values.list,
    INSTANCES_FILE: values.out,
  });
}
