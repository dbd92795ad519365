// /<kind>.json: the entries of one kind, in list order.
export const data = {
  pagination: { data: "instances.kinds", size: 1, alias: "kind" },
  permalink: (data) => `/${data.kind}.json`,
  eleventyExcludeFromCollections: true,
};

export function render({ kind, instances }) {
  return `${JSON.stringify(instances.byKind[kind], null, 2)}\n`;
}
