// `npm start`: probe the list, build the site and serve it locally, rebuilding when a
// template or the data changes. When the probe cannot finish (no network, a bad list)
// the site is built from the data already in place, so there is always a page to look at;
// with no network and no data yet, or with --demo, that page is a demo: simulated
// instances on loopback, probed by the real probe into a temporary folder.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { guardOutput } from "./lib/log.ts";
import { NO_NETWORK_EXIT_CODE } from "./lib/run.ts";

const USAGE = "usage: npm start -- [--demo] [--no-probe] [--port 8080] [--list data/list.json] [--out data/instances.json] [--site _site]";
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const ELEVENTY = fileURLToPath(new URL("../node_modules/@11ty/eleventy/cmd.cjs", import.meta.url));

guardOutput();
const { values } = parseArgs({
  options: {
    list: { type: "string", default: "data/list.json" },
    out: { type: "string", default: "data/instances.json" },
    // Where the built site goes (the demo's goes into its temporary folder).
    site: { type: "string", default: "_site" },
    port: { type: "string", default: process.env.PORT ?? "8080" },
    "no-probe": { type: "boolean", default: false },
    demo: { type: "boolean", default: false },
    help: { type: "boolean" },
  },
  strict: true,
});

/** Set once Ctrl-C or a kill reached this process: nothing more is started. */
let interrupted = false;

/** Runs a Node script in the foreground (Node's own options first); resolves with its exit code. */
function run(script: string, args: string[], env: Record<string, string> = {}, nodeOptions: string[] = []): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeOptions, script, ...args], { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
    // Ctrl-C reaches the child too (same process group); a signal sent to this process alone is passed on.
    // Either way this process waits for the child, so that the demo's folder is cleaned up after it.
    const stop = (signal: NodeJS.Signals) => {
      interrupted = true;
      child.kill(signal);
    };
    process.on("SIGTERM", stop).on("SIGINT", stop);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      process.off("SIGTERM", stop).off("SIGINT", stop);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** Builds the site from these files into `output` and serves it until stopped. */
function serve(listFile: string, instancesFile: string, output: string, env: Record<string, string> = {}): Promise<number> {
  return run(ELEVENTY, ["--config=site/eleventy.config.js", "--serve", `--port=${values.port}`, `--output=${output}`], { LIST_FILE: listFile, INSTANCES_FILE: instancesFile, ...env });
}

/** Starts the simulated fleet, probes it, stops it, and serves the site of the demo. */
async function serveDemo(): Promise<number> {
  const { DEMO_DNS, startDemo } = await import("./lib/demo.ts");
  const demo = await startDemo();
  try {
    console.log(`Demo: probing simulated cobalt and Mastodon instances on 127.0.0.1 into ${demo.dir} (data/ is left alone)…`);
    const code = await run("scripts/probe.ts", ["--list", demo.listFile, "--out", demo.instancesFile], {}, ["--import", DEMO_DNS]);
    await demo.stopFleet();
    if (interrupted) return code;
    if (code !== 0) {
      console.error("\nThe demo's probe did not finish (see above).");
      return code;
    }
    return await serve(demo.listFile, demo.instancesFile, join(demo.dir, "site"), { SITE_DEMO: "1" });
  } finally {
    demo.remove();
  }
}

if (values.help) {
  console.log(USAGE);
} else if (!/^\d{1,5}$/.test(values.port)) {
  console.error(`error: --port must be a port number, not "${values.port}".\n${USAGE}`);
  process.exitCode = 1;
} else if (values.demo) {
  process.exitCode = await serveDemo();
} else {
  let code = 0;
  if (!values["no-probe"]) code = await run("scripts/probe.ts", ["--list", values.list, "--out", values.out]);
  if (interrupted) {
    process.exitCode = code;
  } else if (code === NO_NETWORK_EXIT_CODE && !existsSync(values.out)) {
    console.error(`\nNo network and no data in ${values.out} yet: showing a demo instead, built from simulated instances (\`npm start -- --demo\` shows it any time).\n`);
    process.exitCode = await serveDemo();
  } else {
    if (code !== 0) {
      const fallback = existsSync(values.out) ? `the data already in ${values.out}` : "no data yet (an empty list)";
      console.error(`\nThe probe did not finish (see above); building the site from ${fallback}.\n`);
    }
    process.exitCode = await serve(values.list, values.out, values.site);
  }
}
