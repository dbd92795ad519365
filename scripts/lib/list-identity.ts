// Whether a list still names another repository than the one running it: the sign of a
// fork whose data/list.json was not edited, which would probe in the upstream list's name.
// No dependencies: the workflow's planning job runs it before `npm ci`.

/** `owner/name` of a GitHub repository URL or a github.io Pages URL, lower-cased; null for any other URL. */
export function repositoryNamed(url: string | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const host = parsed.hostname.toLowerCase();
  const [first, second] = parsed.pathname.split("/").filter(Boolean).map((part) => part.toLowerCase().replace(/\.git$/, ""));
  if (host === "github.com" && first && second) return `${first}/${second}`;
  const pages = /^([a-z0-9-]+)\.github\.io$/.exec(host);
  // A user site (https://owner.github.io/) is published from the repository owner/owner.github.io.
  if (pages) return `${pages[1]}/${first ?? `${pages[1]}.github.io`}`;
  return null;
}

/**
 * The repository the list's identity names (`repository`, else a github.io `site`), when it
 * is not `runningIn` (GITHUB_REPOSITORY); null when the identity is this repository's or names none.
 */
export function foreignIdentity(list: { site?: string; repository?: string }, runningIn: string | undefined): string | null {
  if (!runningIn) return null;
  const named = repositoryNamed(list.repository) ?? repositoryNamed(list.site);
  return named !== null && named !== runningIn.toLowerCase() ? named : null;
}
