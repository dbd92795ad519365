// Generated from schemas/*.schema.json by `npm run types`. Do not edit: edit the schema.

/**
 * Every probed instance, as published at /instances.json: one entry per instance in the list, of any kind. Each kind's entry is described by its own schema; `kind` tells which.
 */
export type Instances = ((CobaltInstance | MastodonAPIServer) & {
  /**
   * Which kind of instance this entry describes (`cobalt` or `mastodon`); it selects the schema for the rest of the entry.
   */
  kind: string;
})[];

/**
 * A cobalt media-downloader API, its server information and a real download test per service. The keys of the original public cobalt list (`trust`, `api_online`, `cors`, `commit`, `services`, `version`, `branch`, `score`, `protocol`, `name`, `startTime`, `api`, `frontEnd`) keep their names and types.
 */
export interface CobaltInstance {
  /**
   * The kind of instance: always `cobalt` here.
   */
  kind: "cobalt";
  /**
   * The API's host name (with the port when it is not the default), as in the original list. Together with `kind`, it identifies the instance.
   */
  api: string;
  /**
   * The API's base URL exactly as listed.
   */
  api_url: string;
  /**
   * The host name of the cobalt web app that uses this API, or null when the list names none.
   */
  frontEnd: string | null;
  /**
   * The web app's URL exactly as listed, or null.
   */
  frontend_url: string | null;
  /**
   * The instance's display name: the name in the list, else the name the instance reports (cobalt 7), else its API host.
   */
  name: string;
  /**
   * The scheme of the listed URL: `https` or `http`.
   */
  protocol: "https" | "http";
  /**
   * The list maintainer's judgement: `safe` (known operator, no abuse seen), `not_safe` (do not use), or `unknown` (the default). The probe never raises it.
   */
  trust: "safe" | "unknown" | "not_safe";
  /**
   * Whether the instance's API answered correctly at the latest check.
   */
  api_online: boolean;
  /**
   * Whether the front-end URL serves the cobalt web app; null when the list names no front end.
   */
  frontend_online: boolean | null;
  /**
   * Why the latest check failed, as a short code (for example `timeout`, `connection_refused`, `dns`, `tls`, `http_503`, `invalid_response`, `blocked`, `address_not_allowed`, `too_large`, `probe_error`); null when the instance answered.
   */
  offline_reason: string | null;
  /**
   * When this instance was last checked (ISO 8601, UTC), whether or not it answered.
   */
  checked_at: string;
  /**
   * When the values in this entry were last read from the instance (ISO 8601, UTC); null if it never answered. Older than `checked_at` when the latest check failed and the previous values were kept.
   */
  data_updated_at: string | null;
  /**
   * true when the latest check could not refresh this entry and the values are the last known good ones, from `data_updated_at`.
   */
  stale: boolean;
  /**
   * How long the instance took to answer its main information request at the latest check, in milliseconds; null when it did not answer.
   */
  response_ms: number | null;
  /**
   * Which generation of the cobalt API the instance speaks: `v10` (cobalt 10 and later: `GET /` for server info, `POST /` to download) or `v7` (cobalt 7: `GET /api/serverInfo`, `POST /api/json`); null when it did not answer.
   */
  api_generation: "v10" | "v7" | null;
  /**
   * The cobalt version the instance reports, e.g. `10.9.3`; null when unknown.
   */
  version: string | null;
  /**
   * The short git commit the instance runs, as it reports it; null when unknown.
   */
  commit: string | null;
  /**
   * The git branch the instance runs, as it reports it; null when unknown.
   */
  branch: string | null;
  /**
   * The git remote the instance was built from (cobalt 10+ reports it, e.g. `imputnet/cobalt`); null when unknown.
   */
  git_remote: string | null;
  /**
   * true when `git_remote` is something other than the upstream `imputnet/cobalt`; null when the remote is unknown.
   */
  is_fork: boolean | null;
  /**
   * When the instance's API process started, in milliseconds since the Unix epoch, as it reports it; null when unknown.
   */
  startTime: number | null;
  /**
   * 1 when the API allows requests from other web sites (it answers a request carrying an `Origin` with an `Access-Control-Allow-Origin` that allows it), else 0.
   */
  cors: 0 | 1;
  /**
   * true when the instance asks for a Cloudflare Turnstile token (it publishes a `turnstileSitekey`), as in the older list.
   */
  turnstile: boolean;
  /**
   * How the API is protected from anonymous use: any of `turnstile` (bot check in the web app), `api_key` (needs an `Api-Key`), `jwt` (needs a session token), `auth` (another credential), `challenge` (a bot-protection page stands in front of the API). Empty when anyone can use it. A protected instance's untestable services and score are null.
   */
  protection: ("turnstile" | "api_key" | "jwt" | "auth" | "challenge")[];
  /**
   * Service → whether downloading a real test link from it works (true) or fails (false) on this instance; null when it could not be tested (the instance needs credentials, or its rate limit did not leave time). Services the instance has disabled are left out. The test links are in the list's `services`.
   */
  services: {
    [k: string]: boolean | null;
  };
  /**
   * Service → the detail of its download test.
   */
  service_results: {
    [k: string]: ServiceResult;
  };
  /**
   * The share of tested services that work, in percent: 100 × passed ÷ tested, never curved. Disabled and untestable services do not count. null when nothing could be tested.
   */
  score: number | null;
}
export interface ServiceResult {
  /**
   * `pass` (the instance returned the media), `fail` (it returned an error or an empty file), `disabled` (the instance does not offer this service, so it was not asked), or `untested` (it needs credentials, or its rate limit did not leave time).
   */
  result: "pass" | "fail" | "disabled" | "untested";
  /**
   * The `status` cobalt answered: `tunnel`, `redirect`, `picker` or `local-processing` on success (cobalt 7 also `stream`, `success`), `error` on failure; null when it did not answer.
   */
  status: string | null;
  /**
   * Why the test failed: cobalt's error code (e.g. `error.api.fetch.fail`, `error.api.youtube.login`) or a probe code (`timeout`, `http_500`, `empty_file`, `invalid_response`, `rate_limited`, …); null when it passed.
   */
  error: string | null;
}
/**
 * A server that speaks the Mastodon instance API.
 */
export interface MastodonAPIServer {
  /**
   * The kind of instance: always `mastodon` here.
   */
  kind: "mastodon";
  /**
   * The server's base URL exactly as listed.
   */
  url: string;
  /**
   * Whether the instance's API answered correctly at the latest check.
   */
  api_online: boolean;
  /**
   * Why the latest check failed, as a short code (for example `timeout`, `connection_refused`, `dns`, `tls`, `http_503`, `invalid_response`, `blocked`, `address_not_allowed`, `too_large`, `probe_error`); null when the instance answered.
   */
  offline_reason: string | null;
  /**
   * When this instance was last checked (ISO 8601, UTC), whether or not it answered.
   */
  checked_at: string;
  /**
   * When the values in this entry were last read from the instance (ISO 8601, UTC); null if it never answered. Older than `checked_at` when the latest check failed and the previous values were kept.
   */
  data_updated_at: string | null;
  /**
   * true when the latest check could not refresh this entry and the values are the last known good ones, from `data_updated_at`.
   */
  stale: boolean;
}
