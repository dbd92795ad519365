// Which CDN stands in front of an instance, from the headers the CDN itself adds to every
// answer: no database and no extra request. Read from the answer the probe gets anyway.

/** The CDNs the headers can name, as published in `cdn`. */
export type Cdn = "cloudflare" | "cloudfront" | "fastly" | "azure_front_door" | "sucuri" | "bunny" | "akamai";

/** Header → CDN: a header only that CDN sets (names as Node gives them, lower case). */
const MARK_HEADERS: Array<[string, Cdn]> = [
  ["cf-ray", "cloudflare"],
  ["x-amz-cf-id", "cloudfront"],
  ["x-azure-ref", "azure_front_door"],
  ["x-sucuri-id", "sucuri"],
];

/** `Server` or `Via` values that name a CDN. */
const NAMED: Array<[RegExp, Cdn]> = [
  [/^cloudflare$/i, "cloudflare"],
  [/\bcloudfront\b/i, "cloudfront"],
  [/^bunnycdn\b/i, "bunny"],
  [/^akamaighost$/i, "akamai"],
];

/** The CDN the headers name, or null when they name none. */
export function cdnOf(headers: Record<string, string>): Cdn | null {
  for (const [header, cdn] of MARK_HEADERS) if (headers[header]) return cdn;
  // Fastly names its edge caches in x-served-by: "cache-<pop><number>-<site>".
  if (/^cache-[a-z]{3}/i.test(headers["x-served-by"] ?? "")) return "fastly";
  for (const value of [headers.server, headers.via]) {
    if (!value || value.length > 200) continue;
    for (const [pattern, cdn] of NAMED) if (pattern.test(value)) return cdn;
  }
  return null;
}
