// Which cobalt web app /go/<service>/ sends a reader to, written once for the build (which
// lists the eligible front ends as links) and the page's script (which picks one of them).
// A pick is random, weighted by how often the service worked there over 7 days, so readers
// spread over the instances that work instead of piling onto the best-ranked one.

/** The weight of an instance that has no 7-day figure yet (a new listing): an even chance. */
export const UNKNOWN_SHARE = 50;

/** The URL as a browser reads it when it is an http(s) one, else null. */
function httpHref(text) {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Whether `entry` may receive readers for `service`: its API answered the latest check with
 * fresh values and passed that service, the maintainer did not mark it not_safe, and its
 * front end was checked to be a cobalt web app.
 */
export function isEligible(entry, service) {
  return entry?.kind === "cobalt"
    && entry.api_online === true
    && entry.stale !== true
    && entry.trust !== "not_safe"
    && entry.services?.[service] === true
    && entry.frontend_online === true
    && httpHref(entry.frontend_url) !== null;
}

/** The weight of a front end: its 7-day pass share in percent, at least 1 since it passed just now. */
export function weightOf(pass7d) {
  return typeof pass7d === "number" && Number.isFinite(pass7d) ? Math.max(1, pass7d) : UNKNOWN_SHARE;
}

/** The eligible front ends for one service, as the page lists them: name, URL, 7-day share and weight. */
export function goCandidates(entries, service) {
  return entries.filter((entry) => isEligible(entry, service)).map((entry) => {
    const pass7d = entry.history?.services?.[service]?.pass_7d ?? null;
    return { name: entry.name, url: httpHref(entry.frontend_url), pass7d, weight: weightOf(pass7d) };
  });
}

/** One candidate, at random with probability proportional to its weight; null when there is none. */
export function choose(candidates, random = Math.random) {
  const total = candidates.reduce((sum, candidate) => sum + candidate.weight, 0);
  if (!(total > 0)) return null;
  let point = random() * total;
  for (const candidate of candidates) {
    point -= candidate.weight;
    if (point < 0) return candidate;
  }
  return candidates.at(-1);
}

/**
 * The front end's address carrying the link the reader pasted after `#` (cobalt's web app
 * reads `#<url>` and fills it in); the bare front end when that is not an http(s) link.
 */
export function destination(frontEnd, pasted) {
  const url = new URL(frontEnd);
  const link = pastedLink(pasted);
  if (link) url.hash = link;
  return url.href;
}

/** The http(s) link in a fragment (with or without its `#`; wholly percent-encoded or not), or null. */
export function pastedLink(fragment) {
  let text = String(fragment ?? "").replace(/^#/, "").trim();
  // A link encoded as a whole (https%3A%2F%2F…) is decoded once; a plain one keeps its own escapes.
  if (/^https?%3A/i.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return null;
    }
  }
  return text.length <= 2000 && /^https?:\/\//i.test(text) ? httpHref(text) : null;
}
