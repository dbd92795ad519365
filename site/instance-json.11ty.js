// /instances/<kind>/<slug>.json: one instance's entry, linked from its page.
export const data = {
  pagination: { data: "instances.pages", size: 1, alias: "p" },
  permalink: (data) => data.p.json,
  eleventyExcludeFromCollections: true,
};

export function render({ p }) {
  return `${JSON.stringify(p.entry, null, 2)}\n`;
}
