// /feed.xml: the latest changes as an Atom feed. Each entry's id is derived from the event
// itself, so a feed reader never shows the same change twice.
import { createHash } from "node:crypto";
import type { StoredEvent } from "./store.ts";
import { serviceLabel } from "../service-names.ts";

export interface FeedOptions {
  title: string;
  /** The site's absolute URL, ending in "/". */
  siteUrl: string;
  /** Where the feed is published (its own URL). */
  feedUrl: string;
  /** The page of an instance, from its event. */
  pageUrl?: (event: StoredEvent) => string;
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
  // Control characters are not allowed in XML 1.0 at all.
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "");

/** A stable id: a name-based UUID (version 5 layout) of the event's content. */
export function eventId(event: StoredEvent): string {
  const hash = createHash("sha1").update([event.at, event.type, event.key, event.from ?? "", event.to ?? ""].join("\n")).digest("hex");
  const variant = ((parseInt(hash[16], 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hash.slice(0, 8)}-${hash.slice(8, 12)}-5${hash.slice(13, 16)}-${variant}${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
}

export function eventTitle(event: StoredEvent): string {
  const name = event.name || event.key;
  switch (event.type) {
    case "down": return `${name} is down`;
    case "up": return `${name} is back up`;
    case "added": return `${name} was added to the list`;
    case "removed": return `${name} was removed from the list`;
    case "version": return `${name} updated from ${event.from} to ${event.to}`;
    case "service_failing": return `${serviceLabel(event.from)} stopped working on ${name}`;
    case "service_working": return `${serviceLabel(event.from)} works again on ${name}`;
    case "service_broken": return `${serviceLabel(name)} is failing on most instances (${event.to} tested fail) since ${day(event.from)}`;
    case "service_restored": return `${serviceLabel(name)} works again on most instances (failing from ${day(event.from)} to ${day(event.to)})`;
    case "release": return `${name} ${event.to} is on the list (newest before: ${event.from})`;
    case "certificate_expiring": return `The TLS certificate of ${name} expires in ${daysUntil(event)} (${day(event.to)})`;
    default: return `${name}: ${event.type}`;
  }
}

const day = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "an unknown time");

function daysUntil(event: StoredEvent): string {
  const days = Math.floor((Date.parse(event.to ?? "") - Date.parse(event.at)) / 86_400_000);
  return Number.isFinite(days) ? `${days} day${days === 1 ? "" : "s"}` : `${event.from} days or less`;
}

/** The entry's text: its title, and for a service broken everywhere what that most likely means. */
export function eventText(event: StoredEvent): string {
  const title = eventTitle(event);
  if (event.type === "service_broken") return `${title}. When a service fails on most instances at once, the service most likely changed, not the instances; instances may need an update.`;
  if (!event.url) return `${title}.`;
  return `${title} (${event.url}) at ${event.at}.`;
}

/** Most events one instance (or one fleet-wide topic) may have in the list-wide feed. */
export const FEED_EVENTS_PER_KEY = 3;

/**
 * The latest `limit` of `events` (newest first) with at most `perKey` for any one key, so a
 * busy instance cannot push everyone else's news out of the feed.
 */
export function fairShare(events: StoredEvent[], limit: number, perKey = FEED_EVENTS_PER_KEY): StoredEvent[] {
  const counts = new Map<string, number>();
  const chosen: StoredEvent[] = [];
  for (const event of events) {
    if (chosen.length >= limit) break;
    const count = counts.get(event.key) ?? 0;
    if (count >= perKey) continue;
    counts.set(event.key, count + 1);
    chosen.push(event);
  }
  return chosen;
}

/** An Atom document; `events` newest first. */
export function atomFeed(events: StoredEvent[], options: FeedOptions): string {
  const updated = events[0]?.at ?? "1970-01-01T00:00:00Z";
  const entries = events.map((event) => {
    const link = options.pageUrl ? options.pageUrl(event) : options.siteUrl;
    return [
      "  <entry>",
      `    <id>${eventId(event)}</id>`,
      `    <title>${escapeXml(eventTitle(event))}</title>`,
      `    <updated>${escapeXml(event.at)}</updated>`,
      `    <link href="${escapeXml(link)}"/>`,
      `    <category term="${escapeXml(event.type)}"/>`,
      `    <content type="text">${escapeXml(eventText(event))}</content>`,
      "  </entry>",
    ].join("\n");
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${escapeXml(options.feedUrl)}</id>`,
    `  <title>${escapeXml(options.title)}</title>`,
    `  <updated>${escapeXml(updated)}</updated>`,
    `  <author><name>${escapeXml(options.title)}</name></author>`,
    `  <link rel="self" href="${escapeXml(options.feedUrl)}"/>`,
    `  <link href="${escapeXml(options.siteUrl)}"/>`,
    ...entries,
    "</feed>",
    "",
  ].join("\n");
}
