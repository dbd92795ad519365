// /services/<service>.json: the cobalt instances that download from one service now, best
// first, each with what an app needs to fail over from one to the next (the full entry is
// one link away). Described by schemas/service-instances.schema.json.
export const data = {
  pagination: { data: "instances.services", size: 1, alias: "service" },
  permalink: (data) => `/services/${data.service.name}.json`,
  eleventyExcludeFromCollections: true,
};

/** Protections that need a credential from the operator rather than a browser check. */
const CREDENTIALS = ["api_key", "jwt", "auth"];

export function render({ service, instances, status, site }) {
  const absolute = (path) => (site.url ? new URL(path.replace(/^\//, ""), site.url).href : path);
  const summary = {
    service: service.name,
    test_url: service.testUrl,
    generated_at: status.generated_at,
    checked_at: instances.lastChecked,
    tested: service.tested,
    instances: service.working.map(({ entry, page }) => {
      const shares = entry.history?.services?.[service.name];
      const protection = entry.protection ?? [];
      return {
        name: entry.name,
        api_url: entry.api_url,
        api_generation: entry.api_generation ?? null,
        frontend_url: entry.frontend_url,
        frontend_online: entry.frontend_online ?? null,
        trust: entry.trust,
        protection,
        open: protection.length === 0,
        needs_turnstile: protection.includes("turnstile") || entry.turnstile === true,
        needs_api_key: protection.some((kind) => CREDENTIALS.includes(kind)),
        cors: entry.cors,
        score: entry.score,
        version: entry.version,
        response_ms: entry.response_ms,
        // It passed at its latest check: that is in every working entry, with or without history.
        last_pass: shares?.last_pass ?? entry.checked_at,
        pass_24h: shares?.pass_24h ?? null,
        pass_7d: shares?.pass_7d ?? null,
        page: absolute(page.url),
        json: absolute(page.json),
      };
    }),
  };
  return `${JSON.stringify(summary)}\n`;
}
