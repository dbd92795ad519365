// Values taken from an instance, made into exactly what the output schema allows, or null.
// Every probe reads instance values through these helpers, so that no answer, however
// strange, can produce a value the schema refuses (and so cost the run its output).
import { isoSeconds } from "./probe-kind.ts";
import { formatAccepts } from "./schemas.ts";

export { isoSeconds, isRecord } from "./probe-kind.ts";

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

/**
 * Untrusted text made inert for every place it goes (JSON, HTML, a log line, a job summary):
 * well-formed UTF-16 (a lone surrogate becomes U+FFFD), NFC-normalised, and every control
 * character (C0, C1, U+2028, U+2029: line breaks and tabs included) turned into a space.
 */
export function inertText(value: string): string {
  const normalised = value.toWellFormed().normalize("NFC");
  let out = "";
  let from = 0;
  for (let index = 0; index < normalised.length; index++) {
    if (!isControl(normalised.charCodeAt(index))) continue;
    out += `${normalised.slice(from, index)} `;
    from = index + 1;
  }
  return from === 0 ? normalised : out + normalised.slice(from);
}

/**
 * At most `max` UTF-16 code units of `value`, never cutting a surrogate pair in half (the
 * schema's maxLength counts code points, so this never exceeds it either).
 */
export function capText(value: string, max: number): string {
  if (value.length <= max) return value;
  const end = max > 0 && isHighSurrogate(value.charCodeAt(max - 1)) ? max - 1 : max;
  return value.slice(0, end);
}

/** `value` without any of `characters` at either end (a loop: no regular expression backtracks over a long run). */
export function trimCharacters(value: string, characters: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && characters.includes(value[start]!)) start++;
  while (end > start && characters.includes(value[end - 1]!)) end--;
  return value.slice(start, end);
}

/** Like capText, with "…" in place of what was cut off. */
export function capWithEllipsis(value: string, max: number): string {
  if (value.length <= max) return value;
  return `${capText(value, max - 1).trimEnd()}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export interface TextOptions {
  /** Lower-case the text (before it is capped: lower-casing can make text longer). */
  fold?: boolean;
}

/**
 * A string from untrusted JSON, kept only when it is a string with something in it: made
 * inert (see inertText), trimmed, optionally lower-cased, then capped at `max` (in that
 * order, so the cap holds for what is published).
 */
export function text(value: unknown, max = 300, options: TextOptions = {}): string | null {
  if (typeof value !== "string") return null;
  let clean = inertText(value).trim();
  if (options.fold) clean = clean.toLowerCase();
  const capped = capText(clean, max).trimEnd();
  return capped === "" ? null : capped;
}

/** A value from untrusted JSON, kept only when it is a finite number (or a string holding one). */
export function finite(value: unknown): number | null {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) ? number : null;
}

export interface NumberBounds {
  minimum?: number;
  maximum?: number;
  /** Only integers (safe ones: JSON readers in other languages lose precision above 2^53). */
  integer?: boolean;
}

/** A finite number within the schema's bounds, or null: a value out of range is never guessed into range. */
export function boundedNumber(value: unknown, bounds: NumberBounds): number | null {
  const number = finite(value);
  if (number === null) return null;
  if (bounds.integer && !Number.isSafeInteger(number)) return null;
  if (bounds.minimum !== undefined && number < bounds.minimum) return null;
  if (bounds.maximum !== undefined && number > bounds.maximum) return null;
  return number;
}

/** A number pushed into the schema's bounds: for measurements, where the nearest bound is true enough. */
export function clampedNumber(value: unknown, bounds: Required<Pick<NumberBounds, "minimum" | "maximum">>): number | null {
  const number = finite(value);
  return number === null ? null : Math.min(bounds.maximum, Math.max(bounds.minimum, number));
}

/** A count: a non-negative safe integer, or a string holding one. */
export function count(value: unknown): number | null {
  return boundedNumber(value, { minimum: 0, integer: true });
}

export function boolean(value: unknown): boolean | null {
  return typeof value === "boolean" ? value : null;
}

/** The range of epoch milliseconds a JavaScript Date can hold (ECMA-262 §21.4.1.1). */
export const DATE_MS = { minimum: -8.64e15, maximum: 8.64e15 } as const;

/** A Date within years 0001–9999 (UTC): what ISO 8601 without an expanded year, and the schema's formats, can say. */
function inFourDigitYears(date: Date): boolean {
  const year = date.getUTCFullYear();
  return !Number.isNaN(year) && year >= 1 && year <= 9999;
}

/** An ISO 8601 date-time from untrusted JSON, converted to UTC; null unless it lands in years 0001–9999. */
export function dateTime(value: unknown): string | null {
  const stamp = text(value, 64);
  if (stamp === null || !/^\d{4}-\d\d-\d\dT/.test(stamp)) return null;
  const date = new Date(stamp);
  if (!inFourDigitYears(date)) return null;
  const iso = isoSeconds(date);
  return formatAccepts("date-time", iso) ? iso : null;
}

/** The UTC date (YYYY-MM-DD) of a time in epoch seconds; null unless it lands in years 0001–9999. */
export function dateOfEpochSeconds(seconds: number): string | null {
  const date = new Date(seconds * 1000);
  if (!inFourDigitYears(date)) return null;
  const day = date.toISOString().slice(0, 10);
  return formatAccepts("date", day) ? day : null;
}

export interface UrlOptions {
  /** Schemes allowed, without the colon (default http and https). */
  schemes?: readonly string[];
  /** The schema's maxLength for the key (default 2048). */
  maxLength?: number;
}

/**
 * A URL from untrusted JSON, parsed and re-serialised, kept only when it has an allowed
 * scheme and a host, fits the schema's maxLength, and the schema's own `uri` format accepts it.
 */
export function url(value: unknown, options: UrlOptions = {}): string | null {
  const maxLength = options.maxLength ?? 2048;
  // Cut short, a URL would name something else: a long one is refused, never capped.
  const raw = typeof value === "string" && value.length <= maxLength ? text(value, maxLength) : null;
  if (raw === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return null;
  }
  const schemes = options.schemes ?? ["http", "https"];
  if (!schemes.includes(parsed.protocol.slice(0, -1)) || parsed.hostname === "") return null;
  const href = parsed.href;
  return href.length <= maxLength && formatAccepts("uri", href) ? href : null;
}
