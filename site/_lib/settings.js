// Where the site's data comes from and where it is published: read once, shared by the
// Eleventy config (pathPrefix) and the global data (site metadata).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

/** Data file paths; tests point these at fixtures. */
export function dataPaths(env = process.env) {
  return {
    instancesFile: resolve(env.INSTANCES_FILE || "data/instances.json"),
    listFile: resolve(env.LIST_FILE || "data/list.json"),
    schemasDir: resolve(env.SCHEMAS_DIR || "schemas"),
  };
}

/** The hand-edited list, read as plain JSON (the probe has already validated it). */
export function readList(file = dataPaths().listFile) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: cannot read the list (${error.message}); set LIST_FILE to another list.`);
  }
}

/** Only absolute http(s) URLs count; anything else is treated as absent. */
export function httpUrl(value) {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

/**
 * The published URL and the path prefix under it: PATH_PREFIX wins, else the path of the
 * list's `site` (a fork at https://user.github.io/repo/ gets "/repo/"), else "/".
 */
export function publication(list, env = process.env) {
  const site = httpUrl(list.site);
  let pathPrefix = env.PATH_PREFIX || (site ? site.pathname : "/");
  if (!pathPrefix.startsWith("/")) pathPrefix = `/${pathPrefix}`;
  if (!pathPrefix.endsWith("/")) pathPrefix = `${pathPrefix}/`;
  return { siteUrl: site ? site.href.replace(/\/?$/, "/") : null, pathPrefix };
}
