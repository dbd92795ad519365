// The one HTTP client of a run: a single undici Agent with timeouts, size caps, an
// address check at connect time, bounded redirects and decompression, plus the queues
// that bound requests in flight overall and per origin, and rate-limit pacing.
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import { TLSSocket } from "node:tls";
import { Agent, buildConnector, interceptors, type Dispatcher } from "undici";
import PQueue from "p-queue";
import { AddressPolicy, type PrivateAddressSetting } from "./address-policy.ts";
import { RateLimiter, RateLimitedError } from "./rate-limit.ts";
import { AdaptiveLimit, type RequestOutcome } from "./concurrency.ts";
import { ipv6FailureVerdict, type HostNetwork } from "./network.ts";

/** Resolves a host name to its addresses; tests inject one that maps names to 127.0.0.1. */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface HttpClientOptions {
  userAgent: string;
  timeoutMs: number;
  /** Requests in flight overall: a fixed number, or a limit that sizes itself as the run goes. */
  concurrency: number | AdaptiveLimit;
  perHostConcurrency: number;
  allowPrivateAddresses: PrivateAddressSetting;
  /** Epoch ms after which the run must not wait for rate limits any more. */
  deadline: number;
  resolve?: Resolver;
  maxRedirections?: number;
}

export interface RequestOptions {
  method?: "GET" | "HEAD" | "POST" | "OPTIONS";
  headers?: Record<string, string>;
  body?: string;
  /** Bytes of decoded body to read at most; a longer body fails with `too_large`. */
  maxBytes?: number;
  /** Stop reading after this many bytes without failing (enough to recognise a page). */
  readAtMost?: number;
  /** Requests under one key share a rate-limit window; defaults to the origin. */
  rateLimitKey?: string;
  /**
   * Follow redirects (default true); "same-origin" follows only those that stay on the
   * request's origin and fails on any other with `cross_origin_redirect`, so a POST body
   * (and its key) never reaches a server the list does not name.
   */
  followRedirects?: boolean | "same-origin";
  /**
   * The origin that pays for a request to a URL an instance named on another host (a
   * tunnel): it waits in that origin's queue and rate limit, is sent once (no redirect,
   * no retry after 429), and the other host's own cap bounds what all instances send it.
   */
  chargedTo?: string;
  /** Higher runs first: lets instances that started earlier finish before new ones begin. */
  priority?: number;
}

/** What a probe may do with HTTP: send requests, nothing else. */
export type Http = Pick<HttpClient, "request" | "json">;

export interface HttpResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Time to the response headers, in milliseconds. */
  ms: number;
}

/** A request that got no usable answer, with a short code for the published data. */
export class ProbeHttpError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "ProbeHttpError";
    this.code = code;
  }
}

export const DEFAULT_MAX_BYTES = 1024 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const HARD_MAX_BYTES = 8 * 1024 * 1024;
const MAX_HEADER_BYTES = 32 * 1024;
/** Added to the priority of a request that opens a rate-limit key: above any instance's own. */
const OPENING_PRIORITY = 2 ** 40;

/**
 * One connection to an origin: a request takes a free lane of its origin for as long as it
 * runs. Each lane is an Agent whose dispatcher per origin is a single-connection Client; a
 * Pool per origin would do the same with a 16 KB queue for each of the thousands of origins
 * a run touches.
 */
interface Lane {
  agent: Agent;
  following: Dispatcher;
  direct: Dispatcher;
}

/** The requests of one origin: at most perHostConcurrency at a time, each on a lane of its own. */
interface Origin {
  queue: PQueue;
  freeLanes: number[];
}

/**
 * How long an idle connection stays open for the instance's next request. The same cap
 * overrides the server's Keep-Alive hint, so thousands of finished instances do not keep
 * their connections (and the memory behind them) for the server's idea of a keep-alive.
 */
const KEEP_ALIVE_MS = 4_000;

export class HttpClient {
  readonly stats = { requests: 0 };
  readonly #options: HttpClientOptions;
  readonly #lanes: Lane[];
  /** Requests charged to another origin: one connection pool per host they go to, capped per host. */
  readonly #elsewhere: { dispatcher: Dispatcher; agent: Agent };
  readonly #elsewhereCaps = new Map<string, PQueue>();
  readonly #all: PQueue;
  readonly #adaptive: AdaptiveLimit | null;
  readonly #perOrigin = new Map<string, Origin>();
  readonly #limits: RateLimiter;
  readonly #certificates = new CertificateExpiry();
  readonly #network = new NetworkLog();

  constructor(options: HttpClientOptions) {
    this.#options = options;
    const policy = new AddressPolicy(options.allowPrivateAddresses);
    const resolve = options.resolve ?? ((hostname: string) => dnsLookup(hostname, { all: true }));
    const connector = buildConnector({ timeout: options.timeoutMs });
    const agentOptions: Agent.Options = {
      connections: 1,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      maxHeaderSize: MAX_HEADER_BYTES,
      maxResponseSize: HARD_MAX_BYTES,
      keepAliveTimeout: KEEP_ALIVE_MS,
      keepAliveMaxTimeout: KEEP_ALIVE_MS,
      // Resolve, check every address, then connect to a checked address itself, so a DNS
      // answer cannot change between the check and the connection. Each address is tried
      // in turn: a host with AAAA and A records still answers from a machine without IPv6.
      connect: (connectOptions, callback) => {
        const hostname = connectOptions.hostname.replace(/^\[|\]$/g, "");
        const addresses = isIP(hostname) ? Promise.resolve([{ address: hostname, family: isIP(hostname) }]) : resolve(hostname);
        addresses.then((resolved) => {
          const refused = resolved.find(({ address }) => !policy.allows(address));
          if (resolved.length === 0) throw Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" });
          if (refused) throw new ProbeHttpError("address_not_allowed", `${hostname} resolves to ${refused.address}, which the list does not allow`);
          const servername = isIP(hostname) ? undefined : hostname;
          const origin = originKey(connectOptions.protocol, hostname, connectOptions.port);
          this.#network.resolved(origin, resolved.map(({ address }) => address));
          const attempt = (index: number) => connector({ ...connectOptions, hostname: resolved[index]!.address, servername }, (error, socket) => {
            const overIpv6 = isIP(resolved[index]!.address) === 6;
            if (overIpv6) this.#network.triedIpv6(origin, error ? ipv6FailureVerdict(error) : true);
            if (error && index + 1 < resolved.length) return attempt(index + 1);
            if (socket) this.#certificates.note(connectOptions, socket);
            // Connected over IPv4 to a host that has IPv6 addresses too: one connection to
            // the first of them, once per run, to learn whether it answers there as well.
            const ipv6 = resolved.find(({ address }) => isIP(address) === 6);
            if (socket && !overIpv6 && ipv6 && this.#network.wantsIpv6Check(origin)) {
              this.#network.checkingIpv6(origin, new Promise((resolve) => connector({ ...connectOptions, hostname: ipv6.address, servername }, (failure, other) => {
                other?.destroy();
                resolve(failure ? ipv6FailureVerdict(failure) : true);
              })));
            }
            (callback as (error: Error | null, socket: unknown) => void)(error, socket);
          });
          attempt(0);
        }).catch((error: Error) => callback(error, null));
      },
    };
    const decompress = interceptors.decompress({ maxSize: HARD_MAX_BYTES });
    const redirect = interceptors.redirect({ maxRedirections: options.maxRedirections ?? 3, throwOnMaxRedirect: true });
    this.#lanes = Array.from({ length: options.perHostConcurrency }, () => {
      const agent = new Agent(agentOptions);
      return { agent, following: agent.compose(redirect, decompress), direct: agent.compose(decompress) };
    });
    const elsewhere = new Agent({ ...agentOptions, connections: options.perHostConcurrency });
    this.#elsewhere = { agent: elsewhere, dispatcher: elsewhere.compose(decompress) };
    this.#adaptive = options.concurrency instanceof AdaptiveLimit ? options.concurrency : null;
    this.#all = new PQueue({ concurrency: this.#adaptive?.limit ?? (options.concurrency as number) });
    this.#limits = new RateLimiter(options.deadline);
  }

  #origin(origin: string): Origin {
    let state = this.#perOrigin.get(origin);
    if (!state) {
      const lanes = this.#options.perHostConcurrency;
      state = { queue: new PQueue({ concurrency: lanes }), freeLanes: Array.from({ length: lanes }, (_, lane) => lanes - 1 - lane) };
      this.#perOrigin.set(origin, state);
    }
    return state;
  }

  /** Sends one request, waiting for rate limits and retrying a 429 while the run's budget allows. */
  async request(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
    if (options.followRedirects === "same-origin") return this.#sameOrigin(url, options);
    const own = new URL(url).origin;
    const origin = options.chargedTo ?? own;
    const key = `${origin} ${options.rateLimitKey ?? ""}`;
    for (let attempt = 0; ; attempt++) {
      const response = await this.#paced(origin, key, url, options);
      if (response.status !== 429 || attempt >= 2 || origin !== own) return response;
    }
  }

  /** Follows redirects that stay on the origin, as the redirect interceptor would; any other is an error. */
  async #sameOrigin(url: string, options: RequestOptions): Promise<HttpResponse> {
    let current = url;
    let hop = { ...options, followRedirects: false };
    for (let redirects = 0; ; redirects++) {
      const response = await this.request(current, hop);
      const location = response.headers.location;
      if (!REDIRECT_STATUSES.has(response.status) || location === undefined) return response;
      if (redirects >= (this.#options.maxRedirections ?? 3)) throw new ProbeHttpError("too_many_redirects", `more than ${redirects} redirects`);
      const next = URL.parse(location, current);
      if (next?.origin !== new URL(current).origin) throw new ProbeHttpError("cross_origin_redirect", "the answer redirects to another origin, which is not followed");
      current = next.href;
      // As browsers do: a 303, or a 301/302 to a POST, continues as a GET without the body.
      if (response.status === 303 || (response.status < 303 && hop.method === "POST")) hop = { ...hop, method: "GET", body: undefined };
    }
  }

  /**
   * Sends a request as soon as its origin has a free place and its rate-limit window allows.
   * A request that must wait for its window gives its place back while it waits, so the
   * origin's other requests go on meanwhile (a cobalt instance's tunnel checks are not held
   * up behind download tests that wait a minute for the next window), and comes back ahead
   * of them once the window has reset.
   */
  async #paced(origin: string, key: string, url: string, options: RequestOptions): Promise<HttpResponse> {
    for (let waited = false; ; waited = true) {
      const state = this.#origin(origin);
      let outcome: { response: HttpResponse } | { waitMs: number };
      try {
        outcome = (await state.queue.add(async () => {
          // Rate-limit windows run from an instance's first request: opening every instance (and
          // every rate-limited endpoint) before filling any lets the windows elapse together
          // rather than one after another.
          const priority = (options.priority ?? 0) + (this.#limits.opened(key) ? 0 : OPENING_PRIORITY);
          const waitMs = this.#limits.take(key);
          if (waitMs > 0) return { waitMs };
          // The queue runs no more tasks than there are lanes, so one is free.
          const lane = state.freeLanes.pop()!;
          let response: HttpResponse;
          try {
            response = options.chargedTo === undefined || new URL(url).origin === options.chargedTo
              ? await this.#all.add(() => this.#send(this.#dispatcherOf(this.#lanes[lane]!, options), url, options), { priority })
              : await this.#elsewhereCap(new URL(url).origin, () => this.#all.add(() => this.#send(this.#elsewhere.dispatcher, url, options), { priority }));
          } catch (error) {
            this.#limits.release(key);
            throw error;
          } finally {
            state.freeLanes.push(lane);
          }
          this.#limits.record(key, response.status, response.headers);
          return { response };
        }, { priority: waited ? 1 : 0 }))!;
      } finally {
        if (state.queue.size === 0 && state.queue.pending === 0 && this.#perOrigin.get(origin) === state) this.#perOrigin.delete(origin);
      }
      if ("response" in outcome) return outcome.response;
      await new Promise((resolve) => setTimeout(resolve, outcome.waitMs));
    }
  }

  /** Fetches and parses JSON; any failure is a ProbeHttpError with a code. */
  async json(url: string, options: RequestOptions = {}): Promise<{ response: HttpResponse; json: unknown }> {
    const response = await this.request(url, { ...options, headers: { accept: "application/json", ...options.headers } });
    return { response, json: parseJson(response) };
  }

  #dispatcherOf(lane: Lane, options: RequestOptions): Dispatcher {
    return options.followRedirects === false ? lane.direct : lane.following;
  }

  /** Runs a request charged to another origin once its host has a free place among perHostConcurrency. */
  async #elsewhereCap<T>(origin: string, task: () => Promise<T>): Promise<T> {
    let cap = this.#elsewhereCaps.get(origin);
    if (!cap) this.#elsewhereCaps.set(origin, cap = new PQueue({ concurrency: this.#options.perHostConcurrency }));
    try {
      return (await cap.add(task))!;
    } finally {
      if (cap.size === 0 && cap.pending === 0) this.#elsewhereCaps.delete(origin);
    }
  }

  async #send(dispatcher: Dispatcher, url: string, options: RequestOptions): Promise<HttpResponse> {
    this.stats.requests++;
    const started = performance.now();
    const maxBytes = Math.min(options.maxBytes ?? DEFAULT_MAX_BYTES, HARD_MAX_BYTES);
    // A timer cleared with the answer, rather than AbortSignal.timeout: thousands of requests
    // a second would each leave a signal and a timer alive for the full timeout.
    const abort = new AbortController();
    let answered = false;
    const timer = setTimeout(() => abort.abort(new DOMException("no complete answer in time", "TimeoutError")), this.#options.timeoutMs);
    try {
      const { origin, pathname, search } = new URL(url);
      const response = await dispatcher.request({
        origin,
        path: pathname + search,
        method: options.method ?? "GET",
        headers: { "user-agent": this.#options.userAgent, "accept-encoding": "gzip, deflate, br", ...options.headers },
        body: options.body,
        signal: abort.signal,
      });
      const ms = Math.round(performance.now() - started);
      answered = true;
      this.#finished({ answered: true, ms });
      const body = await readCapped(response.body, maxBytes, options.readAtMost);
      return { url, status: response.statusCode, headers: flatten(response.headers), body, ms };
    } catch (error) {
      const failure = classify(error);
      if (!answered) this.#finished(congestionSign(error, failure));
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Tells a self-sizing limit how a request ended, and applies the limit it then sets. */
  #finished(outcome: RequestOutcome | null): void {
    if (!this.#adaptive || !outcome) return;
    this.#adaptive.record(outcome, this.#all.size > 0);
    if (this.#all.concurrency !== this.#adaptive.limit) this.#all.concurrency = this.#adaptive.limit;
  }

  /**
   * When the TLS certificate of the connection this run made to `url`'s origin expires
   * (ISO 8601); null for http, or when no connection was made.
   */
  certificateExpiresAt(url: string): string | null {
    return this.#certificates.of(url);
  }

  /**
   * The addresses `url`'s host resolved to in this run and whether it answered over IPv6,
   * once the one IPv6 check (bounded by the connect timeout) is over; null when the run
   * never resolved it to addresses it may connect to.
   */
  networkOf(url: string): Promise<HostNetwork | null> {
    return this.#network.of(url);
  }

  /** The same client, with every request of one instance at one priority. */
  withPriority(priority: number): Http {
    return {
      request: (url, options = {}) => this.request(url, { priority, ...options }),
      json: (url, options = {}) => this.json(url, { priority, ...options }),
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.#lanes.map((lane) => lane.agent.close()), this.#elsewhere.agent.close()]);
  }
}

/**
 * The expiry of each origin's certificate, read from the connections the run makes anyway
 * (no extra handshake). Keyed by the host name and port the request named, before DNS.
 */
class CertificateExpiry {
  readonly #byOrigin = new Map<string, string>();

  note(options: { protocol: string; hostname: string; port: string }, socket: unknown): void {
    if (!(socket instanceof TLSSocket)) return;
    const validTo = Date.parse(socket.getPeerCertificate().valid_to ?? "");
    if (Number.isFinite(validTo)) this.#byOrigin.set(originKey(options.protocol, options.hostname, options.port), new Date(validTo).toISOString().replace(/\.\d{3}Z$/, "Z"));
  }

  of(url: string): string | null {
    const { protocol, hostname, port } = new URL(url);
    return this.#byOrigin.get(originKey(protocol, hostname, port)) ?? null;
  }
}

/** Where the connections to each origin went: the addresses resolved, and whether IPv6 worked. */
class NetworkLog {
  readonly #byOrigin = new Map<string, { addresses: Set<string>; ipv6: boolean | null; ipv6Tried: boolean; check: Promise<void> | null }>();

  resolved(origin: string, addresses: string[]): void {
    let state = this.#byOrigin.get(origin);
    if (!state) this.#byOrigin.set(origin, state = { addresses: new Set(), ipv6: null, ipv6Tried: false, check: null });
    // Round-robin DNS may answer each connection with other addresses: the run keeps them all, within bounds.
    for (const address of addresses) if (state.addresses.size < 64) state.addresses.add(address);
  }

  /** A connection over IPv6 ended: true (it worked) wins over false (it failed), false over null (says nothing). */
  triedIpv6(origin: string, verdict: boolean | null): void {
    const state = this.#byOrigin.get(origin);
    if (!state) return;
    state.ipv6Tried = true;
    if (verdict === true || (verdict === false && state.ipv6 === null)) state.ipv6 = verdict;
  }

  wantsIpv6Check(origin: string): boolean {
    const state = this.#byOrigin.get(origin);
    return state !== undefined && !state.ipv6Tried && state.check === null;
  }

  checkingIpv6(origin: string, verdict: Promise<boolean | null>): void {
    const state = this.#byOrigin.get(origin);
    if (state) state.check = verdict.then((result) => this.triedIpv6(origin, result));
  }

  async of(url: string): Promise<HostNetwork | null> {
    const { protocol, hostname, port } = new URL(url);
    const state = this.#byOrigin.get(originKey(protocol, hostname, port));
    if (!state) return null;
    await state.check;
    return { addresses: [...state.addresses], ipv6: state.ipv6 };
  }
}

const originKey = (protocol: string, hostname: string, port: string) => `${protocol}//${hostname.replace(/^\[|\]$/g, "").toLowerCase()}:${port || (protocol === "https:" ? "443" : "80")}`;

async function readCapped(body: Dispatcher.ResponseData["body"], maxBytes: number, readAtMost?: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (readAtMost !== undefined && length + chunk.length >= readAtMost) {
      // Exactly the cap: the rest of a chunk is as untrusted as the rest of the body.
      chunks.push(chunk.subarray(0, readAtMost - length));
      length = readAtMost;
      body.destroy();
      break;
    }
    chunks.push(chunk);
    length += chunk.length;
    if (length > maxBytes) {
      body.destroy();
      throw new ProbeHttpError("too_large", `the answer is larger than ${maxBytes} bytes`);
    }
  }
  return Buffer.concat(chunks, length);
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

export function parseJson(response: HttpResponse): unknown {
  try {
    return JSON.parse(response.body.toString("utf8"));
  } catch {
    throw new ProbeHttpError("invalid_response", `${response.url} answered HTTP ${response.status} with something that is not JSON`);
  }
}

/** Errors that mean this machine is out of sockets, descriptors or buffers, not that an instance failed. */
const LOCAL_SHORTAGE = /^(EMFILE|ENFILE|ENOBUFS|ENOMEM|EADDRNOTAVAIL)$/;

/**
 * What a request without an answer says about the load: a timeout or a reset may be the
 * run pushing too hard; a refused connection, a DNS failure or a refused address is the
 * instance's own state and says nothing (null).
 */
function congestionSign(error: unknown, failure: ProbeHttpError | RateLimitedError): RequestOutcome | null {
  const code = String((error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code ?? "");
  if (LOCAL_SHORTAGE.test(code)) return { answered: false, local: true };
  return ["timeout", "connection_reset", "connection_error"].includes(failure.code) ? { answered: false } : null;
}

const ERROR_CODES: [RegExp, string][] = [
  [/^(UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|ETIMEDOUT|ABORT_ERR|23)$/, "timeout"],
  [/^ECONNREFUSED$/, "connection_refused"],
  [/^(ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED)$/, "connection_reset"],
  [/^(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL)$/, "dns"],
  [/^(UND_ERR_HEADERS_OVERFLOW|UND_ERR_RES_EXCEEDED_MAX_SIZE)$/, "too_large"],
  [/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/, "tls"],
  [/^(ENETUNREACH|EHOSTUNREACH|EADDRNOTAVAIL)$/, "unreachable"],
];

/** Turns whatever undici or the network threw into a ProbeHttpError with a stable code. */
export function classify(error: unknown): ProbeHttpError | RateLimitedError {
  if (error instanceof ProbeHttpError || error instanceof RateLimitedError) return error;
  const cause = error as { code?: string | number; name?: string; message?: string; cause?: unknown };
  if (cause.cause instanceof ProbeHttpError) return cause.cause;
  if (cause.name === "TimeoutError" || cause.name === "AbortError") return new ProbeHttpError("timeout", "no complete answer in time");
  if (/redirect/i.test(cause.message ?? "")) return new ProbeHttpError("too_many_redirects", cause.message ?? "too many redirects");
  if (/Decompressed response size|exceeded maxSize/.test(cause.message ?? "")) return new ProbeHttpError("too_large", cause.message!);
  const code = String(cause.code ?? "");
  for (const [pattern, name] of ERROR_CODES) if (pattern.test(code)) return new ProbeHttpError(name, cause.message ?? code);
  return new ProbeHttpError("connection_error", cause.message ?? String(error));
}
