// Reads data/list.json and refuses a bad one before any request is made, with messages
// that name the file, the line, the entry and the fix.
import { readFileSync } from "node:fs";
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import { keyMayTravelTo } from "./api-key.ts";
import { problemsFrom, validateList, type Problem } from "./schemas.ts";

export interface Operator {
  contact?: string;
  consent?: string;
}

export interface CobaltListEntry {
  kind: "cobalt";
  api: string;
  frontEnd?: string;
  name?: string;
  trust?: "safe" | "unknown" | "not_safe";
  apiKeyEnv?: string;
  operator?: Operator;
}

export interface MastodonListEntry {
  kind: "mastodon";
  url: string;
  name?: string;
  operator?: Operator;
}

export type ListEntry = CobaltListEntry | MastodonListEntry;

export interface ProbeSettings {
  timeoutMs: number;
  /** Requests in flight overall; absent, the run sizes it itself (see concurrency.ts). */
  concurrency?: number;
  perHostConcurrency: number;
  budgetMs: number;
  allowPrivateAddresses: boolean | string[];
  /** Parallel workflow jobs that share the list (`--shard I/N`); 1 is one job. */
  shards: number;
  reachabilityCheck?: string;
}

export interface InstanceList {
  title: string;
  description?: string;
  site?: string;
  repository?: string;
  contact?: string;
  probe: ProbeSettings;
  services: Record<string, string>;
  instances: ListEntry[];
}

export const PROBE_DEFAULTS: ProbeSettings = {
  timeoutMs: 10_000,
  perHostConcurrency: 2,
  budgetMs: 900_000,
  allowPrivateAddresses: false,
  shards: 1,
};

/** A problem in the list, located in the file. */
export interface ListProblem extends Problem {
  line: number;
  column: number;
}

export class ListError extends Error {
  readonly file: string;
  readonly problems: ListProblem[];

  constructor(file: string, problems: ListProblem[]) {
    super(`${file} is not a valid list; nothing was probed or written.\n` +
      problems.map((p) => `  ${file}:${p.line}:${p.column} ${p.pointer}: ${p.message}`).join("\n"));
    this.name = "ListError";
    this.file = file;
    this.problems = problems;
  }
}

/** The URL an entry is listed under: its identity across runs, shards and history. */
export function listedUrl(entry: ListEntry): string {
  return entry.kind === "cobalt" ? entry.api : entry.url;
}

/** The host (and non-default port) of a URL, lower-cased and without a trailing dot, so that spellings of one host compare equal. */
export function hostOf(url: string): string {
  const { hostname, port } = new URL(url);
  const host = hostname.replace(/\.$/, "");
  return port ? `${host}:${port}` : host;
}

export function loadList(file: string): InstanceList {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ListError(file, [{ pointer: "/", message: `cannot be read (${(error as NodeJS.ErrnoException).code}): create it or pass --list with the right path`, line: 1, column: 1 }]);
  }
  return parseList(file, text);
}

export function parseList(file: string, text: string): InstanceList {
  const syntaxErrors: ParseError[] = [];
  const value = parse(text, syntaxErrors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const locate = locator(text);
  if (syntaxErrors.length > 0) {
    throw new ListError(file, syntaxErrors.slice(0, 5).map((error) => ({
      pointer: "/",
      message: `JSON syntax error: ${printParseErrorCode(error.error)}; fix the JSON at this position`,
      ...locate.offset(error.offset),
    })));
  }
  if (!validateList(value)) {
    throw new ListError(file, problemsFrom(validateList.errors).map((problem) => ({ ...problem, ...locate.pointer(problem.pointer) })));
  }
  const list = value as Omit<InstanceList, "probe" | "services"> & { probe?: Partial<ProbeSettings>; services?: Record<string, string> };
  const badUrls = unparsableUrls(list.instances);
  // Duplicates are found by host, which needs URLs that parse.
  const problems = badUrls.length > 0 ? badUrls : [...findDuplicates(list.instances), ...keysInClear(list.instances, list.probe?.allowPrivateAddresses ?? PROBE_DEFAULTS.allowPrivateAddresses)];
  if (problems.length > 0) {
    throw new ListError(file, problems.map((problem) => ({ ...problem, ...locate.pointer(problem.pointer) })));
  }
  return { ...list, probe: { ...PROBE_DEFAULTS, ...list.probe }, services: list.services ?? {} };
}

/** URLs that match the schema's pattern but that no URL parser accepts (a port above 65535, a bad IPv6 literal). */
function unparsableUrls(instances: ListEntry[]): Problem[] {
  return instances.flatMap((entry, index) => Object.entries(entry)
    .filter(([key, value]) => ["api", "frontEnd", "url"].includes(key) && !URL.canParse(value as string))
    .map(([key, value]) => ({ pointer: `/instances/${index}/${key}`, message: `${JSON.stringify(value)} is not a valid URL: fix its host or port` })));
}

/** Entries whose API key would cross the network unencrypted. */
function keysInClear(instances: ListEntry[], allowPrivateAddresses: ProbeSettings["allowPrivateAddresses"]): Problem[] {
  return instances.flatMap((entry, index) => entry.kind === "cobalt" && entry.apiKeyEnv && !keyMayTravelTo(entry.api, allowPrivateAddresses)
    ? [{ pointer: `/instances/${index}/apiKeyEnv`, message: `the key would be sent unencrypted to ${JSON.stringify(entry.api)}: use the API's https:// URL, or remove apiKeyEnv` }]
    : []);
}

function findDuplicates(instances: ListEntry[]): Problem[] {
  const seen = new Map<string, number>();
  const problems: Problem[] = [];
  instances.forEach((entry, index) => {
    const key = `${entry.kind} ${hostOf(listedUrl(entry))}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else problems.push({
      pointer: `/instances/${index}`,
      message: `duplicate of /instances/${first} (both are ${entry.kind} at ${hostOf(listedUrl(entry))}): remove one of them`,
    });
  });
  return problems;
}

/** Maps offsets and JSON pointers to 1-based line and column. */
function locator(text: string) {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const offset = (at: number) => {
    let line = lineStarts.length - 1;
    while (line > 0 && lineStarts[line]! > at) line--;
    return { line: line + 1, column: at - lineStarts[line]! + 1 };
  };
  let tree: Node | undefined;
  const pointer = (path: string) => {
    tree ??= parseTree(text);
    const segments = path.split("/").slice(1).filter(Boolean)
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    // An unknown key has no node of its own when the pointer ends at it: point at the key itself.
    for (let depth = segments.length; depth >= 0; depth--) {
      const node = tree && findNodeAtLocation(tree, segments.slice(0, depth));
      if (node) return offset(node.parent?.type === "property" ? node.parent.offset : node.offset);
    }
    return { line: 1, column: 1 };
  };
  return { offset, pointer };
}
