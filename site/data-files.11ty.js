// /instances.json, byte for byte the probe's output (the URL existing clients use).
export const data = { permalink: "/instances.json", eleventyExcludeFromCollections: true };

export function render({ instances }) {
  return instances.raw;
}
