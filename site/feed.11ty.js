// /feed.xml: instances that went down or came back, new versions, added and removed
// instances, services that stopped or started working on an instance or everywhere, new
// releases on the list, certificates near expiry (Atom; stable entry ids).
import { atomFeed } from "./_lib/probe-code.js";

export const data = { permalink: "/feed.xml", eleventyExcludeFromCollections: true };

export function render({ history, fleet, site }) {
  const siteUrl = site.url ?? "https://example.invalid/";
  const absolute = (path) => new URL(path.replace(/^\//, ""), siteUrl).href;
  return atomFeed(history.events, {
    title: `${site.title}: changes`,
    siteUrl,
    feedUrl: absolute("/feed.xml"),
    pageUrl: (event) => absolute(history.pageByKey[event.key] ?? fleet?.eventPages[event.key] ?? "/"),
  });
}
