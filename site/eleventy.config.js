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
import { dataPaths, publication, readList } from "./_lib/settings.js";

const { pathPrefix } = publication(readList(dataPaths().listFile));

/** @param {import("@11ty/eleventy").UserConfig} eleventyConfig */
export default function (eleventyConfig) {
  // Templates link from the site root ("/api/"); a fork served under /repo/ needs its
  // prefix in front. Instance text is escaped (a quote becomes &quot;), so an attribute
  // value that starts with "/ can only come from a template. A regular expression, not an
  // HTML parser: at 1,000 instance pages that is seconds of build time.
  if (pathPrefix !== "/") {
    eleventyConfig.addTransform("path-prefix", function (content) {
      if (!this.page.outputPath?.endsWith?.(".html")) return content;
      return content.replace(/(\s(?:href|src|action)=")\/(?!\/)/g, `$1${pathPrefix}`);
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

  // Each instance's JSON, badges and feed: written in one pass (see _lib/instance-files.js).
  eleventyConfig.on("eleventy.after", ({ directories }) => {
    writeInstanceFiles(directories.output);
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
