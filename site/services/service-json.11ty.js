// /services/<service>.json: the cobalt entries that work for a service now, best first.
export const data = {
  pagination: { data: "instances.services", size: 1, alias: "service" },
  permalink: (data) => `/services/${data.service.name}.json`,
  eleventyExcludeFromCollections: true,
};

export function render({ service }) {
  return `${JSON.stringify(service.working.map((item) => item.entry), null, 2)}\n`;
}
