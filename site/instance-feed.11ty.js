// /instances/<kind>/<slug>/feed.xml: the changes feed of one instance (the same events as
// /feed.xml, filtered to it), for its operator.
import { atomFeed } from "./_lib/probe-code.js";

export const data = {
  pagination: { data: "instances.pages", size: 1, alias: "p" },
  permalink: (data) => `${data.p.url}feed.xml`,
  eleventyExcludeFromCollections: true,
};

export function render({ p, history, fleet, site }) {
  const siteUrl = site.url ?? "https://example.invalid/";
  const absolute = (path) => new URL(path.replace(/^\//, ""), siteUrl).href;
  const key = history.byUrl[p.url]?.key;
  return atomFeed(fleet.feeds[key] ?? [], {
    title: `${p.entry.name ?? p.slug}: changes (${site.title})`,
    siteUrl: absolute(p.url),
    feedUrl: absolute(`${p.url}feed.xml`),
    pageUrl: () => absolute(p.url),
  });
}
