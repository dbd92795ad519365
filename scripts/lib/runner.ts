// Where a run probed from: the kind of machine, as GitHub Actions describes its runner in the
// environment (RUNNER_ENVIRONMENT, RUNNER_OS, RUNNER_ARCH), or "local" outside Actions.
// Read offline, from the environment alone: no lookup of the machine's address or network.

export interface CheckedFrom {
  /** `github-hosted` or `self-hosted` (GitHub Actions), `local` outside Actions, null when Actions did not say. */
  runner: "github-hosted" | "self-hosted" | "local" | null;
  os: "Linux" | "Windows" | "macOS" | null;
  arch: "X86" | "X64" | "ARM" | "ARM64" | null;
}

const RUNNERS = ["github-hosted", "self-hosted"] as const;
const SYSTEMS = ["Linux", "Windows", "macOS"] as const;
const ARCHES = ["X86", "X64", "ARM", "ARM64"] as const;
/** Node's names for this machine, in the words Actions uses. */
const PLATFORM: Record<string, CheckedFrom["os"]> = { linux: "Linux", win32: "Windows", darwin: "macOS" };
const ARCH: Record<string, CheckedFrom["arch"]> = { ia32: "X86", x64: "X64", arm: "ARM", arm64: "ARM64" };

const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | null => (values as readonly string[]).includes(value ?? "") ? value as T : null;

/** The runner this process runs on, from `env`; outside Actions, this machine's system and architecture. */
export function checkedFrom(env: Record<string, string | undefined>, platform: string = process.platform, arch: string = process.arch): CheckedFrom {
  if (env.GITHUB_ACTIONS !== "true") return { runner: "local", os: PLATFORM[platform] ?? null, arch: ARCH[arch] ?? null };
  return { runner: oneOf(RUNNERS, env.RUNNER_ENVIRONMENT), os: oneOf(SYSTEMS, env.RUNNER_OS), arch: oneOf(ARCHES, env.RUNNER_ARCH) };
}
