// /<kind>.json: the entries of one kind, in list order, without indentation (as every generated
// JSON file; /instances.json alone is the probe's output byte for byte, so that its attestation holds).
export const data = {
  pagination: { data: "instances.kinds", size: 1, alias: "kind" },
  permalink: (data) => `/${data.kind}.json`,
  eleventyExcludeFromCollections: true,
};

export function render({ kind, instances }) {
  return `${JSON.stringify(instances.byKind[kind])}\n`;
}
