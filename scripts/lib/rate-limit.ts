// Paces requests by the limits an instance announces (RateLimit-*, X-RateLimit-*,
// Retry-After), so a rate limit becomes a wait instead of a false failure.
export class RateLimitedError extends Error {
  readonly code = "rate_limited";
  readonly waitMs: number;
  constructor(waitMs: number, why: string) {
    super(`rate limited for ${Math.ceil(waitMs / 1000)} s, longer than ${why}`);
    this.waitMs = waitMs;
  }
}

interface Window {
  /** Requests the instance said are left in its window; null when unknown. */
  remaining: number | null;
  /** When the window resets (epoch ms). */
  resetAt: number;
  /** Requests sent and not yet answered: they will use up `remaining` too. */
  inflight: number;
}

/** Wait a little past the announced reset: instances round it to whole seconds. */
const RESET_MARGIN_MS = 150;
/** When a 429 names no reset time, assume cobalt's default window. */
const DEFAULT_WINDOW_MS = 60_000;
/**
 * The longest single wait for a window: two of cobalt's default windows. An instance that
 * asks for longer (a hostile or broken Retry-After or reset) is rate-limited for this run,
 * rather than holding the run open for most of its budget.
 */
const MAX_WAIT_MS = 2 * DEFAULT_WINDOW_MS;

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Parses a reset given as delta seconds, epoch seconds or an HTTP/ISO date, into epoch ms. */
function resetTime(value: string | undefined, now: number): number | null {
  if (value === undefined || value.trim() === "") return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const seconds = Number(trimmed);
    return seconds > 1e9 ? seconds * 1000 : now + seconds * 1000;
  }
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : date;
}

/** Reads the announced window from any of the common header families. */
export function announcedLimit(headers: Headers, now: number): { remaining: number | null; resetAt: number | null } {
  const combined = header(headers, "ratelimit");
  if (combined) {
    const remaining = /remaining=(\d+)/.exec(combined)?.[1];
    const reset = /reset=(\d+)/.exec(combined)?.[1];
    return { remaining: remaining === undefined ? null : Number(remaining), resetAt: resetTime(reset, now) };
  }
  const remaining = header(headers, "ratelimit-remaining") ?? header(headers, "x-ratelimit-remaining");
  const reset = header(headers, "ratelimit-reset") ?? header(headers, "x-ratelimit-reset");
  const parsed = remaining !== undefined && /^\d+$/.test(remaining.trim()) ? Number(remaining) : null;
  return { remaining: parsed, resetAt: resetTime(reset, now) };
}

export class RateLimiter {
  readonly #windows = new Map<string, Window>();
  readonly #deadline: number;

  constructor(deadline: number) {
    this.#deadline = deadline;
  }

  #window(key: string): Window {
    let window = this.#windows.get(key);
    if (!window) this.#windows.set(key, (window = { remaining: null, resetAt: 0, inflight: 0 }));
    return window;
  }

  /**
   * Takes a request slot under `key` and returns 0, or returns how many milliseconds to wait
   * before asking again. Throws RateLimitedError when that wait is longer than the longest
   * allowed wait or than what is left of the run's budget.
   */
  take(key: string): number {
    const window = this.#window(key);
    const now = Date.now();
    if (window.remaining !== null && now >= window.resetAt) window.remaining = null;
    if (window.remaining === null || window.remaining - window.inflight > 0) {
      window.inflight++;
      return 0;
    }
    const wait = window.resetAt - now + RESET_MARGIN_MS;
    if (wait > MAX_WAIT_MS) throw new RateLimitedError(wait, `the longest wait allowed (${MAX_WAIT_MS / 1000} s)`);
    if (now + wait > this.#deadline) throw new RateLimitedError(wait, "the run's remaining budget");
    return wait;
  }

  /** Records what an answer said about the window. */
  record(key: string, status: number, headers: Headers): void {
    const window = this.#window(key);
    const now = Date.now();
    window.inflight = Math.max(0, window.inflight - 1);
    const { remaining, resetAt } = announcedLimit(headers, now);
    if (status === 429) {
      window.remaining = 0;
      window.resetAt = resetTime(header(headers, "retry-after"), now) ?? resetAt ?? now + DEFAULT_WINDOW_MS;
    } else if (remaining !== null) {
      // Answers can arrive out of order: within the window we know of, the lowest count is
      // the current one (a late answer's higher count would cost a 429).
      const sameWindow = window.remaining !== null && now < window.resetAt;
      window.remaining = sameWindow ? Math.min(window.remaining!, remaining) : remaining;
      if (!sameWindow) window.resetAt = resetAt ?? now + DEFAULT_WINDOW_MS;
    }
  }

  /** Whether any request was sent under `key` yet. */
  opened(key: string): boolean {
    return this.#windows.has(key);
  }

  /** Gives back a slot taken by a request that got no answer. */
  release(key: string): void {
    const window = this.#window(key);
    window.inflight = Math.max(0, window.inflight - 1);
  }
}
