// Every instance's page (/instances/<kind>/<slug>/), rendered by the site's own Nunjucks
// environment from site/_includes/instance/page.njk in the site's layout, with the same
// data the other pages get, and written one at a time once Eleventy has built the rest.
// Not Eleventy pages: Eleventy keeps a copy of each page it builds, and its text, until the
// build ends; at 10,000 instances that was a gigabyte of memory and most of the build time.
import instances from "../_data/instances.js";
import history from "../_data/history.js";
import fleet from "../_data/fleet.js";
import site from "../_data/site.js";
import status from "../_data/status.js";
import { fileWriter } from "./file-writer.js";
import { withPathPrefix } from "./path-prefix.js";

/** The one script an instance page loads (it imports the rest). */
const SCRIPTS = ["/assets/instance.js"];

/** Renders and writes every instance page under `output` with `environment` (Eleventy's Nunjucks); resolves to the count. */
export async function writeInstancePages(output, environment) {
  const data = { instances: instances(), history: history(), fleet: fleet(), site: site(), status: status() };
  const { pathPrefix } = data.site;
  const { write, done } = fileWriter(output);
  for (const p of data.instances.pages) {
    const context = { ...data, p, page: { url: p.url }, title: p.entry.name ?? p.slug, scripts: SCRIPTS };
    const content = environment.render("instance/page.njk", context);
    const html = environment.render("layouts/base.njk", { ...context, content });
    await write(`${p.url}index.html`, withPathPrefix(html, pathPrefix));
  }
  return done();
}
