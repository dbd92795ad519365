// Real probe output for the site tests: a small fleet of loopback instances (working,
// protected, broken, down and hostile ones of both kinds) probed by the real probe CLI,
// and the real site built from it by the real Eleventy command.
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { startFakeCobalt } from "./cobalt-server.ts";
import { mastodon4, startFakeMastodon } from "./mastodon-server.ts";
import { EXTENDED_DESCRIPTION, RULES, V2_INSTANCE } from "./mastodon-examples.ts";
import { temporaryDirectory, writeJson, type Loopback } from "./loopback.ts";
import { ROOT, runScript, type CliResult } from "./cli.ts";

/** Markup an instance might send, hoping a page renders it. */
export const PAYLOADS = {
  script: `<script>alert("xss-script")</script>`,
  img: `<img src=x onerror=alert("xss-img")>`,
  attribute: `" onmouseover="alert('xss-attr')" x="`,
  javascriptUrl: `javascript:alert("xss-url")`,
};

const escapeHtml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export const SERVICES = {
  youtube: "https://www.youtube.com/watch?v=jNQXAC9IVRw",
  tiktok: "https://www.tiktok.com/@a/video/7195741644585454894",
  twitter: "https://twitter.com/a/status/1",
  soundcloud: "https://soundcloud.com/a/b",
};

export interface SiteData {
  dir: string;
  listFile: string;
  instancesFile: string;
  probe: CliResult;
  close(): Promise<void>;
}

/** Starts the fleet, writes its list, and runs `npm run probe` on it once. */
export async function probedSiteData(): Promise<SiteData> {
  const folder = temporaryDirectory();
  const working = await startFakeCobalt({
    cors: true,
    offered: ["youtube", "tiktok", "twitter", "soundcloud"],
    outcomes: {
      [SERVICES.youtube]: { error: "error.api.youtube.login" },
      [SERVICES.tiktok]: { status: "tunnel", bytes: 2048 },
      [SERVICES.twitter]: { status: "redirect" },
      [SERVICES.soundcloud]: { status: "tunnel", bytes: 1024 },
    },
  });
  const protectedOne = await startFakeCobalt({ turnstile: true, offered: ["youtube", "tiktok"] });
  // A cobalt instance whose every string is a payload.
  const hostileCobalt = await startFakeCobalt({
    version: PAYLOADS.script,
    remote: PAYLOADS.javascriptUrl,
    offered: ["youtube", "tiktok"],
    outcomes: { [SERVICES.youtube]: { error: PAYLOADS.img }, [SERVICES.tiktok]: { error: PAYLOADS.attribute } },
  });
  const mastodon = await startFakeMastodon(mastodon4);
  const hostileMastodon = await startFakeMastodon((base) => ({
    ...mastodon4(base),
    "/api/v2/instance": {
      status: 200,
      json: {
        ...V2_INSTANCE,
        // Mastodon sends HTML-escaped text; escaped markup decodes to the payload itself.
        title: escapeHtml(PAYLOADS.script),
        description: escapeHtml(PAYLOADS.img),
        source_url: PAYLOADS.javascriptUrl,
        languages: ["en", PAYLOADS.attribute],
        thumbnail: { ...V2_INSTANCE.thumbnail, url: PAYLOADS.javascriptUrl },
        contact: { ...V2_INSTANCE.contact, email: PAYLOADS.attribute },
      },
    },
    "/api/v1/instance/rules": { status: 200, json: [{ ...RULES[0], text: escapeHtml(PAYLOADS.img) }, ...RULES.slice(1)] },
    "/api/v1/instance/extended_description": {
      status: 200,
      json: { ...EXTENDED_DESCRIPTION, content: `<p>Hi</p>${PAYLOADS.script}<a href="${PAYLOADS.javascriptUrl}">click</a><img src=x onerror=alert(1)>` },
    },
  }));
  const servers: Loopback[] = [working, protectedOne, hostileCobalt, mastodon, hostileMastodon];

  const listFile = join(folder.dir, "list.json");
  const instancesFile = join(folder.dir, "instances.json");
  writeJson(listFile, {
    title: "Test list",
    description: "Instances on loopback, for the site tests.",
    site: "https://lists.example/test-list/",
    repository: "https://github.com/example/test-list",
    probe: { timeoutMs: 30_000, allowPrivateAddresses: ["127.0.0.1/32"] },
    services: SERVICES,
    instances: [
      { kind: "cobalt", api: working.url, frontEnd: "https://cobalt.example/", name: "Working cobalt", trust: "safe" },
      { kind: "cobalt", api: protectedOne.url, name: "Protected cobalt" },
      { kind: "cobalt", api: hostileCobalt.url, name: PAYLOADS.img, trust: "not_safe" },
      // Down: its name never resolves (a closed port here could be another program's by the time the probe connects).
      { kind: "cobalt", api: "https://down.invalid/", name: "Down cobalt" },
      { kind: "mastodon", url: mastodon.url },
      { kind: "mastodon", url: hostileMastodon.url },
    ],
  });
  const probe = await runScript("scripts/probe.ts", ["--list", listFile, "--out", instancesFile], { NODE_OPTIONS: "--import ./test/support/loopback-dns.ts" });
  return {
    dir: folder.dir,
    listFile,
    instancesFile,
    probe,
    async close() {
      await Promise.all(servers.map((server) => server.close()));
      folder.remove();
    },
  };
}

/** Runs `npm run build` (the same Eleventy command) into `output`. */
export function buildSite(options: { listFile: string; instancesFile: string; output: string; env?: Record<string, string> }): Promise<CliResult> {
  return runScript(join(ROOT, "node_modules/@11ty/eleventy/cmd.cjs"), ["--config=site/eleventy.config.js", `--output=${options.output}`, "--quiet"], {
    LIST_FILE: options.listFile,
    INSTANCES_FILE: options.instancesFile,
    ...options.env,
  });
}

export const readText = (file: string): string => readFileSync(file, "utf8");
