// /assets/list-<kind>.json: the home page's compact index of one kind (site/_lib/list-index.js),
// fetched by site/assets/list.js when a reader filters, sorts or searches.
export const data = {
  pagination: { data: "instances.list", size: 1, alias: "list" },
  permalink: (data) => `/assets/list-${data.list.kind}.json`,
  eleventyExcludeFromCollections: true,
};

export function render({ list }) {
  return JSON.stringify({ kind: list.kind, services: list.services, labels: list.labels, rows: list.rows });
}
