// The few GitHub REST calls the request workflow makes, with the job's own token. The base
// URL is GITHUB_API_URL, which Actions sets (GitHub Enterprise has another; the rehearsal
// points it at a loopback stand-in). Only Node built-ins: the jobs that call it skip `npm ci`.

export class GitHubApiError extends Error {
  readonly status: number;

  constructor(method: string, path: string, status: number, text: string) {
    super(`GitHub API ${method} ${path} answered ${status}: ${text.slice(0, 300)}`);
    this.name = "GitHubApiError";
    this.status = status;
  }
}

/** An issue comment, as far as the workflow reads it. */
export interface IssueComment {
  id: number;
  body?: string;
  updated_at: string;
  user?: { login?: string; type?: string } | null;
}

/** The account the default GITHUB_TOKEN comments as. */
export const BOT_LOGIN = "github-actions[bot]";

export class GitHubApi {
  readonly repository: string;
  readonly #base: string;
  readonly #token: string | undefined;

  constructor(env: Record<string, string | undefined> = process.env) {
    if (!env.GITHUB_REPOSITORY) throw new Error("GITHUB_REPOSITORY is not set: run this in a GitHub Actions job");
    this.repository = env.GITHUB_REPOSITORY;
    const base = env.GITHUB_API_URL || "https://api.github.com";
    this.#base = base.endsWith("/") ? base.slice(0, -1) : base;
    this.#token = env.GH_TOKEN || env.GITHUB_TOKEN || undefined;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.#base}${path}`, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
        "user-agent": "instance-list-requests",
        ...(this.#token ? { authorization: `Bearer ${this.#token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) throw new GitHubApiError(method, path, response.status, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** This repository's part of the API: `/repos/owner/name` + path. */
  repo<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.request<T>(method, `/repos/${this.repository}${path}`, body);
  }

  /** The issue's comments, oldest first (up to 1,000: a request thread is never that long). */
  async comments(issue: number): Promise<IssueComment[]> {
    const all: IssueComment[] = [];
    for (let page = 1; page <= 10; page++) {
      const batch = await this.repo<IssueComment[]>("GET", `/issues/${issue}/comments?per_page=100&page=${page}`);
      all.push(...batch);
      if (batch.length < 100) break;
    }
    return all;
  }
}

/** The workflow's own answer on an issue: written by the bot and carrying the marker (anyone can paste the marker). */
export function findAnswer(comments: IssueComment[], marker: string): IssueComment | undefined {
  return comments.find((comment) => comment.user?.login === BOT_LOGIN && (comment.body ?? "").startsWith(marker));
}
