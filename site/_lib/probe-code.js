// The probe's own code (TypeScript, which Node runs as it is) that the site reuses: the
// output schema's validation and the history store. Loaded with import() because
// Eleventy's --serve watcher reads every static import with a JavaScript-only parser.
const [schemas, store, siteHistory, badges, feed, fleet, notices, versions, slug, identity, duplicates, serviceNames] = await Promise.all([
  import("../../scripts/lib/schemas.ts"),
  import("../../scripts/lib/history/store.ts"),
  import("../../scripts/lib/history/site-history.ts"),
  import("../../scripts/lib/history/badges.ts"),
  import("../../scripts/lib/history/feed.ts"),
  import("../../scripts/lib/history/fleet.ts"),
  import("../../scripts/lib/history/notices.ts"),
  import("../../scripts/lib/versions.ts"),
  import("../../scripts/lib/slug.ts"),
  import("../../scripts/lib/list-identity.ts"),
  import("../../scripts/lib/duplicates.ts"),
  import("../../scripts/lib/service-names.ts"),
]);

export const { instancesProblems } = schemas;
export const { eachRun, readEvents } = store;
export const { readSiteHistory } = siteHistory;
export const { scoreBadge, uptimeBadge } = badges;
export const { atomFeed, fairShare } = feed;
export const { allBrokenEpisodes, BROKEN_EVERYWHERE } = fleet;
export const { releaseKey, serviceKey } = notices;
export const { compareVersionsDescending, isBehind, newestReleases, versionFacts } = versions;
export const { instanceSlug, kindSlug } = slug;
export const { repositoryNamed } = identity;
export const { repeatedKeys, sameBackends } = duplicates;
export const { serviceLabel } = serviceNames;
