// /services/<service>.json: the cobalt instances that download from one service now, best
// first, each reduced to what a client needs to pick one (the full entry is one link away).
export const data = {
  pagination: { data: "instances.services", size: 1, alias: "service" },
  permalink: (data) => `/services/${data.service.name}.json`,
  eleventyExcludeFromCollections: true,
};

export function render({ service, instances, site }) {
  const absolute = (path) => (site.url ? new URL(path.replace(/^\//, ""), site.url).href : path);
  const summary = {
    service: service.name,
    test_url: service.testUrl,
    checked_at: instances.lastChecked,
    tested: service.tested,
    instances: service.working.map(({ entry, page }) => ({
      name: entry.name,
      api_url: entry.api_url,
      frontend_url: entry.frontend_url,
      trust: entry.trust,
      protection: entry.protection,
      score: entry.score,
      version: entry.version,
      response_ms: entry.response_ms,
      pass_24h: entry.history?.services?.[service.name]?.pass_24h ?? null,
      pass_7d: entry.history?.services?.[service.name]?.pass_7d ?? null,
      page: absolute(page.url),
      json: absolute(page.json),
    })),
  };
  return `${JSON.stringify(summary, null, 2)}\n`;
}
