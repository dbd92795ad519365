// Generated from schemas/*.schema.json by `npm run types`. Do not edit: edit the schema.

/**
 * The IPv4 addresses the listed URL's host resolved to when the check connected to it, in numeric order, at most 16; null when it never resolved to addresses the list allows. Kept from the previous check when the latest one could not resolve the host. Absent in data older than this key.
 *
 * @maxItems 16
 */
export type Ipv4Addresses = string[] | null;
/**
 * The IPv6 addresses the listed URL's host resolved to when the check connected to it (lower case and compressed, RFC 5952), in numeric order, at most 16; an empty list when it has none (no AAAA record); null when it never resolved to addresses the list allows. Kept from the previous check when the latest one could not resolve the host. Absent in data older than this key.
 *
 * @maxItems 16
 */
export type Ipv6Addresses = string[] | null;
/**
 * Every probed instance, as published at /instances.json: one entry per instance in the list, of any kind. Each kind's entry is described by its own schema; `kind` tells which.
 */
export type Instances = ((CobaltInstance | MastodonInstance) & {
  /**
   * Which kind of instance this entry describes (`cobalt` or `mastodon`); it selects the schema for the rest of the entry.
   */
  kind: string;
})[];

/**
 * A cobalt media-downloader API, its server information and a real download test per service. The keys of the original public cobalt list (`trust`, `api_online`, `cors`, `commit`, `services`, `version`, `branch`, `score`, `protocol`, `name`, `startTime`, `api`, `frontEnd`) keep its names and types and are never null, so its clients keep working: strings are `""` when unknown, `score` and `startTime` are numbers, and `services` names every service of the list as true or false. What they cannot say (untested, disabled, unknown) is in the keys beside them: `service_results`, `services_tested`, `api_generation`, `data_updated_at`.
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
   * The host name of the cobalt web app that uses this API, as in the original list; `""` when the list names none (`frontend_url` is then null).
   */
  frontEnd: string;
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
  checked_from?: CheckedFrom;
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
   * When the TLS certificate that the instance's listed URL presented expires (ISO 8601, UTC), read from the connection the check made; null when no connection was ever made. Kept from the previous check when the latest one made no connection. Absent for `http` URLs.
   */
  tls_expires_at?: string | null;
  /**
   * Whole days from `checked_at` until `tls_expires_at`: negative once the certificate has expired; null when `tls_expires_at` is null; absent for `http` URLs. The feed warns when it reaches 14 and 3.
   */
  tls_days_left?: number | null;
  ipv4_addresses?: Ipv4Addresses;
  ipv6_addresses?: Ipv6Addresses;
  /**
   * Whether the instance answers over IPv6: true when a connection to one of its IPv6 addresses succeeded during the check (TCP, and the TLS handshake for `https`, with a certificate valid for its name); false when one was tried and was refused, reset or timed out; null when it has no IPv6 address, or when the probing machine itself has no route to IPv6 (GitHub's hosted runners have none), so nothing was learnt. The probe connects to the addresses in the order DNS gives them; when the first that answers is IPv4, it makes one more connection, to the first IPv6 address, and closes it without a request. Kept from the previous check when the latest one could not resolve the host. Absent in data older than this key.
   */
  answers_ipv6?: boolean | null;
  /**
   * Which generation of the cobalt API the instance speaks: `v10` (cobalt 10 and later: `GET /` for server info, `POST /` to download) or `v7` (cobalt 7: `GET /api/serverInfo`, `POST /api/json`); null when it did not answer.
   */
  api_generation: "v10" | "v7" | null;
  /**
   * The cobalt version the instance reports, e.g. `10.9.3`; `""` when it never said (it has not answered, or its answer had no version: `api_generation` is then null).
   */
  version: string;
  /**
   * The git commit the instance runs, as it reports it; `""` when unknown.
   */
  commit: string;
  /**
   * The git branch the instance runs, as it reports it; `""` when unknown.
   */
  branch: string;
  /**
   * The git remote the instance was built from (cobalt 10+ reports it, e.g. `imputnet/cobalt`); null when unknown.
   */
  git_remote: string | null;
  /**
   * true when `git_remote` is something other than the upstream `imputnet/cobalt`; null when the remote is unknown.
   */
  is_fork: boolean | null;
  /**
   * When the instance's API process started, in milliseconds since the Unix epoch, as it reports it; 0 when unknown or outside the range a JavaScript `Date` can hold from 1970 on (0 to 8.64e15).
   */
  startTime: number;
  /**
   * 1 when a web page on any site may call the API: asked with the list's own origin, it answers `Access-Control-Allow-Origin: *` or that origin; else 0. An instance that lets in one other site only (cobalt's `CORS_WILDCARD=0` with `CORS_URL`) is 0.
   */
  cors: 0 | 1;
  /**
   * The CDN in front of the API, named by a header it adds to the answer the check got: `cloudflare` (`cf-ray`), `cloudfront` (`x-amz-cf-id`, or `Via`), `fastly` (`x-served-by: cache-…`), `azure_front_door` (`x-azure-ref`), `sucuri` (`x-sucuri-id`), `bunny` or `akamai` (`Server`); null when no header names one (no CDN, or one that does not say). Kept from the previous check while the API does not answer; absent in data older than this key.
   */
  cdn?: "cloudflare" | "cloudfront" | "fastly" | "azure_front_door" | "sucuri" | "bunny" | "akamai" | null;
  /**
   * true when the instance asks for a Cloudflare Turnstile token (it publishes a `turnstileSitekey`), as in the older list.
   */
  turnstile: boolean;
  /**
   * How the API is protected from anonymous use: any of `turnstile` (bot check in the web app), `api_key` (needs an `Api-Key`), `jwt` (needs a session token), `auth` (another credential), `challenge` (a bot-protection page stands in front of the API). Empty when anyone can use it. A protected instance's services are `untested` in `service_results` (false in `services`) unless the list gives the probe a key.
   */
  protection: ("turnstile" | "api_key" | "jwt" | "auth" | "challenge")[];
  /**
   * Every service of the list → true when downloading its test link worked on this instance at the latest check, else false, as in the original list. false covers a failed test and also a service the instance has disabled or that could not be tested (it needs credentials, or its rate limit left no time): `service_results` tells which. The test links are in the list's `services`.
   */
  services: {
    [k: string]: boolean;
  };
  /**
   * Every service of the list → the detail of its download test: `pass`, `fail`, `disabled` or `untested`, with cobalt's status and error. The `services` booleans are derived from it (true only for `pass`). Requests stay with the instance: the download request follows only redirects that stay on the API's origin (any other is `fail` with `cross_origin_redirect`, and its body and API key go nowhere else); a `tunnel` answer is checked with one HEAD request, and a tunnel on another host counts against this instance's own queue and rate limit, is not retried or redirected, and is never sent to an address the list refuses (`tunnel_address_not_allowed`).
   */
  service_results: {
    [k: string]: ServiceResult;
  };
  /**
   * How many services the score is computed over: those whose test passed or failed at the latest check. 0 when nothing could be tested (a protected instance, or one that never answered): `score` is then 0 but says nothing about the instance.
   */
  services_tested: number;
  /**
   * The share of tested services that work, in percent: 100 × passed ÷ `services_tested`, never curved, as in the original list. Services the instance has disabled and services that could not be tested are out of both counts. 0 when nothing could be tested (`services_tested` is then 0) or the instance is down.
   */
  score: number;
  history?: History;
}
/**
 * Where the latest check ran, as GitHub Actions describes its runner (no lookup of the machine's address): what `api_online` and the other results mean depends on the network they were checked from. Absent in data older than this key.
 */
export interface CheckedFrom {
  /**
   * `github-hosted` (a runner GitHub provides, in its cloud) or `self-hosted` (the list's own machine), from `RUNNER_ENVIRONMENT`; `local` for a run outside GitHub Actions (`npm run probe` on someone's machine); null when Actions did not say.
   */
  runner: "github-hosted" | "self-hosted" | "local" | null;
  /**
   * The runner's operating system (`RUNNER_OS`, or this machine's outside Actions): `Linux`, `Windows` or `macOS`; null when unknown.
   */
  os: "Linux" | "Windows" | "macOS" | null;
  /**
   * The runner's processor architecture (`RUNNER_ARCH`, or this machine's outside Actions): `X86`, `X64`, `ARM` or `ARM64`; null when unknown.
   */
  arch: "X86" | "X64" | "ARM" | "ARM64" | null;
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
   * Why the test failed: cobalt's error code (e.g. `error.api.fetch.fail`, `error.api.youtube.login`) or a probe code (`timeout`, `http_500`, `cross_origin_redirect`, `empty_file`, `tunnel_http_404`, `invalid_response`, `rate_limited`, …); null when it passed.
   */
  error: string | null;
}
/**
 * What the hourly checks recorded over time (kept in the repository under `data/history/`). The keys `api_online`, `services` and `score` still describe the latest check only. A run that did not happen is unknown, never down: figures are computed over the checks that were made, and `checks` says how many.
 */
export interface History {
  /**
   * The instance's status with hysteresis, so that one lost request does not make it flap: `down` after 3 consecutive failed checks (missed runs do not count and do not break the streak), `up` again after one successful check, `unknown` before either has happened. The raw latest result is `api_online`.
   */
  status: "up" | "down" | "unknown";
  /**
   * How many checks in a row have failed up to the latest one; 0 when the latest check succeeded.
   */
  consecutive_failures: number;
  /**
   * Share of successful checks over the last 24 hours, 7 days, 30 days and 90 days, in percent with two decimals.
   */
  uptime: {
    /**
     * Percent of the checks made in the last 24 hours at which the API answered correctly; null when no check was made. Runs that did not happen are not counted.
     */
    "24h": number | null;
    /**
     * Percent of the checks made in the last 7 days at which the API answered correctly; null when no check was made. Runs that did not happen are not counted.
     */
    "7d": number | null;
    /**
     * Percent of the checks made in the last 30 days at which the API answered correctly; null when no check was made. Runs that did not happen are not counted.
     */
    "30d": number | null;
    /**
     * Percent of the checks made in the last 90 days at which the API answered correctly; null when no check was made. Runs that did not happen are not counted.
     */
    "90d": number | null;
  };
  /**
   * How many checks the uptime figures are computed over, per window; fewer than expected means runs were missed (gaps, shown as unknown).
   */
  checks: {
    /**
     * How many checks were made in the last 24 hours (hourly runs: 24 per day when none was missed).
     */
    "24h": number;
    /**
     * How many checks were made in the last 7 days (hourly runs: 24 per day when none was missed).
     */
    "7d": number;
    /**
     * How many checks were made in the last 30 days (hourly runs: 24 per day when none was missed).
     */
    "30d": number;
    /**
     * How many checks were made in the last 90 days (hourly runs: 24 per day when none was missed).
     */
    "90d": number;
  };
  /**
   * Median of the response times (`response_ms`, kept to the nearest quarter octave, 2^(n/4) ms: 181, 215, 256 ms…) of the successful checks over the last 7 days, in milliseconds; null when none succeeded.
   */
  median_response_ms: number | null;
  /**
   * When the list first checked this instance (ISO 8601, UTC).
   */
  first_seen: string;
  /**
   * When a check last found the API answering (ISO 8601, UTC); null if it never did.
   */
  last_seen_online: string | null;
  /**
   * Per service the instance was tested on in the last 7 days (cobalt; empty for kinds without service tests), or, for an instance that did not answer in those 7 days, per service its latest successful check tested: how reliably downloads from it worked. Only checks at which the service was actually tested count.
   */
  services: {
    [k: string]: {
      /**
       * Percent of the tests of this service in the last 24 hours that passed (e.g. 75 when it worked at 18 of 24 checks); null when it was not tested.
       */
      pass_24h: number | null;
      /**
       * Percent of the tests of this service in the last 7 days that passed; null when it was not tested.
       */
      pass_7d: number | null;
      /**
       * When a test of this service last passed (ISO 8601, UTC); null if none did in the last 90 days.
       */
      last_pass: string | null;
      /**
       * The service's status with the same hysteresis as the instance's: `failing` after 3 consecutive failed tests, `working` again after one pass, `unknown` before either.
       */
      status: "working" | "failing" | "unknown";
    };
  };
}
/**
 * A server that speaks the Mastodon instance API (Mastodon and its forks, Pleroma, Akkoma, GoToSocial, Misskey-family servers, Friendica and others), read from `/api/v2/instance` or `/api/v1/instance`, its peers, activity, rules and domain blocks, and NodeInfo. Values a server does not publish are null, never guessed.
 */
export interface MastodonInstance {
  /**
   * The kind of instance: always `mastodon` here.
   */
  kind: "mastodon";
  /**
   * The server's base URL exactly as listed. Together with `kind`, it identifies the instance.
   */
  url: string;
  /**
   * The server's domain name as the server reports it (`domain` in API v2, `uri` in v1), else the host of the listed URL. This is the part after the `@` in its users' addresses.
   */
  domain: string;
  /**
   * The server's display name: the name in the list, else the title the server reports, else its domain.
   */
  name: string;
  /**
   * The scheme of the listed URL: `https` or `http`.
   */
  protocol: "https" | "http";
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
  checked_from?: CheckedFrom;
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
   * When the TLS certificate that the instance's listed URL presented expires (ISO 8601, UTC), read from the connection the check made; null when no connection was ever made. Kept from the previous check when the latest one made no connection. Absent for `http` URLs.
   */
  tls_expires_at?: string | null;
  /**
   * Whole days from `checked_at` until `tls_expires_at`: negative once the certificate has expired; null when `tls_expires_at` is null; absent for `http` URLs. The feed warns when it reaches 14 and 3.
   */
  tls_days_left?: number | null;
  ipv4_addresses?: Ipv4Addresses;
  ipv6_addresses?: Ipv6Addresses;
  /**
   * Whether the instance answers over IPv6: true when a connection to one of its IPv6 addresses succeeded during the check (TCP, and the TLS handshake for `https`, with a certificate valid for its name); false when one was tried and was refused, reset or timed out; null when it has no IPv6 address, or when the probing machine itself has no route to IPv6 (GitHub's hosted runners have none), so nothing was learnt. The probe connects to the addresses in the order DNS gives them; when the first that answers is IPv4, it makes one more connection, to the first IPv6 address, and closes it without a request. Kept from the previous check when the latest one could not resolve the host. Absent in data older than this key.
   */
  answers_ipv6?: boolean | null;
  /**
   * Which instance API answered: `v2` (`/api/v2/instance`, Mastodon 4.0 and later), `v1` (`/api/v1/instance`, older Mastodon and most other software), or null when only NodeInfo answered or the server never answered.
   */
  api_version: "v2" | "v1" | null;
  /**
   * The server's title as it reports it; null when it does not say.
   */
  title: string | null;
  /**
   * The server's short description, as plain text (any markup removed); null when it publishes none.
   */
  description: string | null;
  /**
   * The server's long description (`/api/v1/instance/extended_description`, Mastodon 4.0 and later) as plain text, with paragraphs separated by blank lines; null when it publishes none.
   */
  extended_description: string | null;
  /**
   * When the server's administrators last changed the long description (ISO 8601), as the server reports it; null when unknown.
   */
  extended_description_updated_at: string | null;
  /**
   * Which software the server runs. Taken from NodeInfo when the server publishes it, else from the Mastodon-compatible `version`: its `(compatible; Name x.y)` part, or `mastodon` for a plain version (Mastodon, or a fork that does not say which). `name` is never null for a server that answers the instance API.
   */
  software: {
    /**
     * The software's name in lower case, as NodeInfo spells it (for example `mastodon`, `pleroma`, `akkoma`, `gotosocial`, `misskey`); `mastodon` when only a plain version string says; null only for a server that has never answered.
     */
    name: string | null;
    /**
     * The software's own version; null when the server does not say.
     */
    version: string | null;
    /**
     * Where `name` and `version` come from: `nodeinfo`, `version` (inferred from the Mastodon-compatible version string), or null for a server that has never answered.
     */
    source: "nodeinfo" | "version" | null;
  };
  /**
   * The Mastodon API version the server claims, exactly as reported (for example `4.2.1`, or `2.7.2 (compatible; Pleroma 2.5.0)`); null when it does not say.
   */
  version: string | null;
  /**
   * Where the server's source code is published (API v2 `source_url`); null when it does not say.
   */
  source_url: string | null;
  /**
   * How many people use the server. Each count is null when the server does not publish it.
   */
  users: {
    /**
     * Users active in the last 30 days (API v2 `usage.users.active_month`, else NodeInfo `activeMonth`).
     */
    active_month: number | null;
    /**
     * Users active in the last 180 days (NodeInfo `activeHalfyear`).
     */
    active_halfyear: number | null;
    /**
     * Registered local users (API v1 `stats.user_count`, else NodeInfo `users.total`).
     */
    total: number | null;
  };
  /**
   * Posts made by the server's local users (API v1 `stats.status_count`, else NodeInfo `localPosts`); null when it does not say.
   */
  statuses: number | null;
  /**
   * How many other servers this one knows of (the length of `/api/v1/instance/peers`, else API v1 `stats.domain_count`); null when not public.
   */
  peers_count: number | null;
  /**
   * Whether new people can sign up.
   */
  registrations: {
    /**
     * Whether sign-ups are open (API v2 `registrations.enabled`, API v1 `registrations`, else NodeInfo `openRegistrations`); null when the server does not say.
     */
    enabled: boolean | null;
    /**
     * Whether a moderator must approve each sign-up; null when the server does not say.
     */
    approval_required: boolean | null;
    /**
     * Whether users may invite others (API v1 `invites_enabled`); null when the server does not say.
     */
    invites_enabled: boolean | null;
    /**
     * The server's message to people who cannot sign up, as plain text; null when there is none.
     */
    message: string | null;
  };
  /**
   * The languages the server prefers, as ISO 639 codes (at most 30); empty when it names none.
   *
   * @maxItems 30
   */
  languages: string[];
  /**
   * The URL of the server's banner image; null when it has none.
   */
  thumbnail: string | null;
  /**
   * The URL of the server's streaming API (usually `wss://`); null when it does not say.
   */
  streaming_url: string | null;
  /**
   * How to reach the server's administrators.
   */
  contact: {
    /**
     * The administrators' e-mail address; null when not published.
     */
    email: string | null;
    /**
     * The contact account's username on the server (`acct`); null when not published.
     */
    account: string | null;
    /**
     * The contact account's profile page; null when not published.
     */
    account_url: string | null;
  };
  /**
   * How many rules the server publishes; null when its rules are not public or it has no rules API.
   */
  rules_count: number | null;
  /**
   * The server's rules, in its order (at most 50; `rules_count` says how many there are); null when not public.
   *
   * @maxItems 50
   */
  rules:
    | {
        /**
         * The rule, as plain text.
         */
        text: string;
        /**
         * The rule's longer explanation (Mastodon 4.3 and later), as plain text; null when there is none.
         */
        hint: string | null;
      }[]
    | null;
  /**
   * What a post may hold on this server. Each limit is null when the server does not publish it.
   */
  limits: {
    /**
     * Characters a post may have.
     */
    max_characters: number | null;
    /**
     * Media files a post may have.
     */
    max_media_attachments: number | null;
    /**
     * Characters each link counts for, whatever its real length.
     */
    characters_reserved_per_url: number | null;
    /**
     * Hashtags a profile may feature.
     */
    max_featured_tags: number | null;
    /**
     * The largest image upload, in bytes.
     */
    image_size_limit: number | null;
    /**
     * The largest video upload, in bytes.
     */
    video_size_limit: number | null;
    /**
     * Options a poll may have.
     */
    poll_max_options: number | null;
    /**
     * Characters each poll option may have.
     */
    poll_max_characters_per_option: number | null;
    /**
     * The shortest poll duration, in seconds.
     */
    poll_min_expiration: number | null;
    /**
     * The longest poll duration, in seconds.
     */
    poll_max_expiration: number | null;
  };
  /**
   * Whether the server offers to translate posts (API v2 `configuration.translation.enabled`); null when it does not say.
   */
  translation: boolean | null;
  /**
   * Weekly activity over about the last three months (`/api/v1/instance/activity`), oldest week first (at most 26 weeks); null when not public.
   *
   * @maxItems 26
   */
  activity:
    | {
        /**
         * The first day of the week (ISO 8601 date, UTC).
         */
        week: string;
        /**
         * Posts made on the server during the week.
         */
        statuses: number;
        /**
         * Users who logged in during the week.
         */
        logins: number;
        /**
         * New sign-ups during the week.
         */
        registrations: number;
      }[]
    | null;
  /**
   * How many other servers this one moderates, by severity (`/api/v1/instance/domain_blocks`, Mastodon 4.0 and later); null when the list is not public.
   */
  domain_blocks: {
    /**
     * Servers moderated in any way.
     */
    total: number;
    /**
     * Servers suspended: no contact at all.
     */
    suspend: number;
    /**
     * Servers limited: their posts are hidden from public timelines.
     */
    silence: number;
  } | null;
  /**
   * The optional endpoints that answered 401, 403 or 404 (limited-federation servers, administrators who hide a list, or software without that endpoint): their values are null because they are not public, not because the server is down.
   */
  not_public: ("peers" | "activity" | "rules" | "domain_blocks" | "extended_description" | "nodeinfo")[];
  history?: History;
}
