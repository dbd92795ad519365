// The site's filters, as one small plugin. Everything an instance sends is untrusted:
// these return plain values and let Nunjucks autoescape them.
import nunjucks from "nunjucks";
import { httpUrl } from "./settings.js";
import { escapeHtml, formatNumber, headHtml, monitoredDays, monitoredFor, rowsHtml } from "../assets/rows.js";
import { serviceLabel } from "./probe-code.js";
import { badgeMarkdown } from "../assets/badge-markdown.js";

export { serviceLabel };

/** Plain words for cobalt's error codes and the probe's own codes. */
const ERROR_TEXT = {
  "error.api.youtube.login": "YouTube refused this instance's IP (it asks the instance to sign in)",
  "error.api.youtube.decipher": "YouTube changed its player and this instance cannot decipher it yet",
  "error.api.youtube.token_expired": "The instance's YouTube session token expired",
  "error.api.youtube.no_session_tokens": "The instance has no YouTube session tokens",
  "error.api.youtube.no_matching_format": "YouTube offered no format this instance can use",
  "error.api.youtube.codec": "YouTube offered no video in the requested codec",
  "error.api.youtube.age": "YouTube requires age verification for this video",
  "error.api.youtube.temporary_disabled": "The instance has temporarily disabled YouTube",
  "error.api.youtube.api_error": "YouTube's API returned an error to this instance",
  "error.api.fetch.fail": "The instance could not fetch the media from the service",
  "error.api.fetch.rate": "The service rate-limited this instance",
  "error.api.fetch.critical": "The instance failed badly while fetching the media",
  "error.api.fetch.empty": "The service returned nothing to this instance",
  "error.api.fetch.short_link": "The instance could not expand the short link",
  "error.api.content.too_long": "The media is longer than this instance allows",
  "error.api.content.video.unavailable": "The service says the video is unavailable from this instance",
  "error.api.content.video.live": "The video is a live stream",
  "error.api.content.video.private": "The service says the video is private",
  "error.api.content.video.age": "The service requires age verification",
  "error.api.content.video.region": "The video is blocked in the instance's region",
  "error.api.content.post.unavailable": "The service says the post is unavailable from this instance",
  "error.api.content.post.private": "The service says the post is private",
  "error.api.content.post.age": "The service requires age verification for the post",
  "error.api.link.invalid": "The instance did not accept the test link",
  "error.api.link.unsupported": "The instance does not support this kind of link",
  "error.api.service.unsupported": "The instance does not support this service",
  "error.api.service.disabled": "The instance has disabled this service",
  "error.api.auth.jwt.missing": "The instance needs a session token (JWT) to be used",
  "error.api.auth.jwt.invalid": "The instance rejected the session token",
  "error.api.auth.key.missing": "The instance needs an API key",
  "error.api.auth.key.invalid": "The instance rejected the API key",
  "error.api.auth.turnstile.missing": "The instance needs a Cloudflare Turnstile check",
  "error.api.rate_exceeded": "The instance's own rate limit was reached",
  "error.api.capacity": "The instance is at capacity",
  "error.api.generic": "The instance reported a generic error",
  "error.api.unreachable": "The instance could not reach the service",
  "error.api.timed_out": "The service did not answer the instance in time",
  timeout: "The instance did not answer in time",
  connection_refused: "The instance's server refused the connection",
  dns: "The instance's host name does not resolve",
  tls: "The instance's HTTPS certificate or TLS setup failed",
  blocked: "A bot-protection page stands in front of the API",
  address_not_allowed: "The host resolves to a private or special-purpose address, which the list does not probe",
  too_large: "The instance sent more data than the probe accepts",
  invalid_response: "The instance's answer was not what a cobalt API sends",
  empty_file: "The instance returned an empty file",
  rate_limited: "The instance's rate limit did not leave time for this test",
  probe_error: "The probe itself failed on this instance",
};

/** @param {import("@11ty/eleventy").UserConfig} eleventyConfig */
export default function filters(eleventyConfig) {
  // Only absolute http(s) URLs become links; anything else (javascript:, data:, text) gives null.
  eleventyConfig.addFilter("safeUrl", (value) => httpUrl(value)?.href ?? null);

  // A page on the same server as an http(s) URL ("/about" of a Mastodon server); null when the URL is not one.
  eleventyConfig.addFilter("pageOn", (value, path) => (httpUrl(value) ? new URL(path, value).href : null));

  // A cobalt or probe error code in plain words; unknown codes are named as they are.
  eleventyConfig.addFilter("errorText", errorText);

  // An ISO date or epoch milliseconds → "2026-11-25 06:00 UTC"; anything a Date cannot hold → "unknown".
  eleventyConfig.addFilter("utc", utc);

  // A service key as people write it: youtube_music → "YouTube Music".
  eleventyConfig.addFilter("serviceLabel", serviceLabel);

  // 12345 → "12,345"; anything that is not a number is shown as it is.
  eleventyConfig.addFilter("number", (value) => (typeof value === "number" && Number.isFinite(value) ? formatNumber(value) : value));

  // Schema descriptions mark code with backticks: escaped text with <code> for each pair.
  eleventyConfig.addFilter("inlineCode", (text) => new nunjucks.runtime.SafeString(escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>")));

  // Rows of an instance table, drawn by the same code the browser uses (site/assets/rows.js).
  eleventyConfig.addFilter("rowsHtml", (rows, context) => new nunjucks.runtime.SafeString(rowsHtml(rows, { base: "/", ...context })));
  eleventyConfig.addFilter("headHtml", (kind) => new nunjucks.runtime.SafeString(headHtml(kind)));

  // Pretty JSON for <pre> blocks (autoescaped by the template).
  eleventyConfig.addFilter("json", (value) => JSON.stringify(value, null, 2));

  // Absolute URL of a page on the published site, for canonical links; null without a site URL.
  eleventyConfig.addFilter("absoluteUrl", (path, siteUrl) => (siteUrl ? new URL(String(path).replace(/^\//, ""), siteUrl).href : null));

  // The services whose latest test on a cobalt entry had `result` ("pass", "fail", "disabled", "untested").
  eleventyConfig.addFilter("servicesWith", (entry, result) => Object.keys(entry?.service_results ?? {}).filter((name) => entry.service_results[name].result === result));

  // Services by name, as a sentence does: "Reddit, VK and YouTube".
  eleventyConfig.addFilter("serviceNames", (names) => {
    const labels = names.map(serviceLabel);
    return labels.length > 1 ? `${labels.slice(0, -1).join(", ")} and ${labels.at(-1)}` : (labels[0] ?? "");
  });

  // How long the list has watched an entry ("62 days"), from its history's first sighting; null without history.
  eleventyConfig.addFilter("monitoredFor", (entry) => (monitoredDays(entry) === null ? null : monitoredFor(monitoredDays(entry))));

  // How long before `later` a time was, in words ("1 hour", "3 days"): a failing service's last pass, said against its latest test.
  eleventyConfig.addFilter("timeBefore", timeBefore);

  // The Markdown that embeds a badge in a README: the API page's example.
  eleventyConfig.addFilter("badgeMarkdown", badgeMarkdown);

  // The page record (URL, slug) of an instance entry.
  eleventyConfig.addFilter("pageOf", (entry, instances) => instances.pageOf.get(entry));
}

export function utc(value) {
  const time = typeof value === "number" ? value : typeof value === "string" ? Date.parse(value) : NaN;
  const date = new Date(time);
  // Out of a Date's range (±8.64e15 ms) the time is NaN, and toISOString() would throw.
  return Number.isNaN(date.getTime()) ? "unknown" : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function timeBefore(earlier, later) {
  const ms = Date.parse(later) - Date.parse(earlier);
  if (!Number.isFinite(ms)) return "unknown";
  const hours = Math.round(ms / 3_600_000);
  if (hours < 1) return "less than an hour";
  if (hours < 48) return hours === 1 ? "1 hour" : `${hours} hours`;
  return `${Math.round(hours / 24)} days`;
}

export function errorText(code) {
  if (code === null || code === undefined || code === "") return "";
  const text = String(code);
  if (ERROR_TEXT[text]) return ERROR_TEXT[text];
  const http = /^(tunnel_)?http_(\d{3})$/.exec(text);
  if (http) return `${http[1] ? "The download link" : "The instance"} answered with HTTP status ${http[2]}`;
  const service = /^error\.api\.([a-z0-9_]+)\./.exec(text);
  if (service && !["fetch", "content", "link", "service", "auth"].includes(service[1])) return `The service (${service[1]}) refused this instance (${text})`;
  return `The instance reported "${text}"`;
}
