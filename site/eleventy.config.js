// Eleventy config for the published site. Run from the repository root:
//   eleventy --config=site/eleventy.config.js   (npm run build)
// Data paths come from INSTANCES_FILE, LIST_FILE and SCHEMAS_DIR (defaults under data/ and
// schemas/); PATH_PREFIX overrides the prefix taken from the list's `site` URL.
//
// Adding a kind of instance: give it columns in site/assets/rows.js and an index row in
// site/_lib/list-index.js (its table on the home page), and a template in
// site/_includes/kinds/<kind>/instance.njk (the body of its per-instance page); a kind
// without them falls back to the generic ones. Data loading lives in site/_data/, filters
// in site/_lib/filters.js.
import { existsSync } from "node:fs";
import filters from "./_lib/filters.js";
import { writeInstanceFiles } from "./_lib/instance-files.js";
import { writeInstancePages } from "./_lib/instance-pages.js";
import { withPathPrefix } from "./_lib/path-prefix.js";
import { dataPaths, publication, readList } from "./_lib/settings.js";

const { pathPrefix } = publication(readList(dataPaths().listFile));

/** @param {import("@11ty/eleventy").UserConfig} eleventyConfig */
export default function (eleventyConfig) {
  // A fork served under /repo/ needs its prefix in front of every link (see _lib/path-prefix.js).
  if (pathPrefix !== "/") {
    eleventyConfig.addTransform("path-prefix", function (content) {
      return this.page.outputPath?.endsWith?.(".html") ? withPathPrefix(content, pathPrefix) : content;
    });
  }
  eleventyConfig.addPlugin(filters);

  eleventyConfig.setNunjucksEnvironmentOptions({ autoescape: true, throwOnUndefined: false });
  eleventyConfig.addPassthroughCopy({ "site/assets": "assets" });

  // Which include to use for a kind: its own template when it has one, else the generic one
  // (looked up once per kind and part: every instance page asks).
  const kindTemplates = new Map();
  eleventyConfig.addFilter("kindTemplate", (kind, part) => {
    const own = `kinds/${kind}/${part}.njk`;
    if (!kindTemplates.has(own)) kindTemplates.set(own, /^[a-z][a-z0-9_-]*$/.test(kind) && existsSync(new URL(`./_includes/${own}`, import.meta.url)) ? own : `kinds/generic/${part}.njk`);
    return kindTemplates.get(own);
  });
  eleventyConfig.on("eleventy.before", () => kindTemplates.clear());

  // Each instance's page, JSON, badges and feed: written in one pass once the rest is built,
  // the pages by this same Nunjucks environment (see _lib/instance-pages.js).
  let nunjucks;
  eleventyConfig.on("eleventy.engine.njk", ({ environment }) => (nunjucks = environment));
  eleventyConfig.on("eleventy.after", async ({ directories }) => {
    await writeInstancePages(directories.output, nunjucks);
    await writeInstanceFiles(directories.output);
  });

  eleventyConfig.addWatchTarget(dataPaths().instancesFile);
  eleventyConfig.addWatchTarget(dataPaths().listFile);
}

export const config = {
  dir: { input: "site", includes: "_includes", data: "_data", output: "_site" },
  templateFormats: ["njk", "11ty.js"],
  htmlTemplateEngine: "njk",
  pathPrefix,
};
