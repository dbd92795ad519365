// /services/<service>/history.json: the service's health over 90 days, one point per run
// (how many instances were tested, how many passed), and the times it was broken everywhere.
// Described by schemas/service-history.schema.json.
export const data = {
  pagination: { data: "instances.services", size: 1, alias: "service" },
  permalink: (data) => `/services/${data.service.name}/history.json`,
  eleventyExcludeFromCollections: true,
};

export function render({ service, fleet, instances }) {
  const health = fleet.services[service.name];
  const document = {
    service: service.name,
    checked_at: instances.lastChecked,
    points: (health?.points ?? []).map(({ at, tested, passed }) => ({ at, tested, passed })),
    broken_everywhere: (health?.episodes ?? []).map((episode) => ({ started: episode.started, ended: episode.ended, tested: episode.tested, passed: episode.passed })),
  };
  return `${JSON.stringify(document)}\n`;
}
