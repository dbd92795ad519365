// The files each instance has beside its page: /instances/<kind>/<slug>.json (its entry),
// /badges/<kind>/<slug>/*.json (shields.io endpoint badges) and /instances/<kind>/<slug>/feed.xml
// (its changes, for its operator). Written in one pass once Eleventy has built the pages
// (eleventy.config.js), not as Eleventy pages: at 10,000 instances they are 37,000 files,
// and one Eleventy page each cost more time and memory than the rest of the site together.
import instances from "../_data/instances.js";
import site from "../_data/site.js";
import { dataPaths } from "./settings.js";
import { badgesFor, historyDir, historyKey } from "./history.js";
import { EVENTS_READ, instanceFeeds } from "./fleet.js";
import { atomFeed, readEvents } from "./probe-code.js";
import { fileWriter } from "./file-writer.js";

/** Writes every instance's files under `output` and resolves to how many it wrote. */
export async function writeInstanceFiles(output) {
  const { pages } = instances();
  const { title, url } = site();
  const siteUrl = url ?? "https://example.invalid/";
  const absolute = (path) => new URL(path.replace(/^\//, ""), siteUrl).href;
  const feeds = instanceFeeds(readEvents(historyDir(dataPaths().instancesFile), EVENTS_READ));
  const { write, done } = fileWriter(output);
  for (const page of pages) {
    // Without indentation, like every generated JSON file: at 10,000 instances the spaces alone weigh 20 MB.
    await write(page.json, `${JSON.stringify(page.entry)}\n`);
    for (const badge of badgesFor(page)) await write(badge.path, `${JSON.stringify(badge.json)}\n`);
    const key = historyKey(page.kind, page.entry.api_url ?? page.entry.url);
    await write(`${page.url}feed.xml`, atomFeed(feeds[key] ?? [], {
      title: `${page.entry.name ?? page.slug}: changes (${title})`,
      siteUrl: absolute(page.url),
      feedUrl: absolute(`${page.url}feed.xml`),
      pageUrl: () => absolute(page.url),
    }));
  }
  return done();
}
