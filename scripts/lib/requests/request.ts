// What an add or remove request asks for, checked the way the list itself is checked: the
// entry it would add is validated by the list's own schema and URL checks, and the answer
// names the form's field and the fix.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { AddressPolicy, type PrivateAddressSetting } from "../address-policy.ts";
import { hostOf, listedUrl, ListError, parseList, type InstanceList, type ListEntry } from "../list.ts";
import type { Issue } from "./event.ts";
import { formFields, MAX_BODY, readAnswers, type FormField } from "./form.ts";

export interface AddRequest {
  /** The entry the request asks for, with operator.contact and operator.consent (this issue). */
  entry: ListEntry;
  /** What is wrong with it, each naming the form's field and the fix; empty when it can be listed. */
  problems: string[];
}

/** The list keys each form field fills, to name the field a problem is about. */
const FIELD_OF_KEY: Record<string, string> = { api: "url", url: "url", frontEnd: "front-end", name: "name", operator: "contact", kind: "kind" };

function bodyProblem(issue: Issue): string | null {
  const length = (issue.body ?? "").length;
  return length > MAX_BODY ? `the issue is ${length} characters long, more than GitHub allows an issue form (${MAX_BODY}): open a new request with the form` : null;
}

export function readAddRequest(issue: Issue, list: InstanceList): AddRequest {
  const fields = formFields("add-instance.yml");
  const label = (id: string) => fields.find((field) => field.id === id)?.label ?? id;
  const tooLong = bodyProblem(issue);
  const { values, ticked } = tooLong ? { values: {}, ticked: {} } : readAnswers(issue.body ?? "", fields);
  const kind = values.kind ?? "";
  const entry = {
    kind,
    [kind === "cobalt" ? "api" : "url"]: values.url ?? "",
    ...(values["front-end"] && kind === "cobalt" ? { frontEnd: values["front-end"] } : {}),
    ...(values.name ? { name: values.name } : {}),
    operator: { contact: values.contact ?? "", consent: issue.html_url },
  } as unknown as ListEntry;
  if (tooLong) return { entry, problems: [tooLong] };
  const problems: string[] = [];
  for (const id of ["kind", "url", "contact"]) if (!values[id]) problems.push(`${label(id)}: missing: fill it in`);
  if (values["front-end"] && kind !== "cobalt") problems.push(`${label("front-end")}: only cobalt instances have a front end: leave it empty`);
  if (!ticked.consent) problems.push(`${label("consent")}: not ticked: only an instance's operator can ask for it to be listed, by ticking the box`);
  if (problems.length === 0) problems.push(...entryProblems(entry, list, fields));
  return { entry, problems };
}

/** The list's own validation of the entry (schema, then URLs that must parse), in the form's words. */
function entryProblems(entry: ListEntry, list: InstanceList, fields: FormField[]): string[] {
  try {
    parseList("the request", JSON.stringify({ title: list.title, services: list.services, instances: [entry] }));
    return [];
  } catch (error) {
    if (!(error instanceof ListError)) throw error;
    return error.problems.map((problem) => {
      const key = problem.pointer.split("/")[3];
      const field = fields.find((candidate) => candidate.id === FIELD_OF_KEY[key ?? ""]);
      const where = field ? field.label : problem.pointer.replace(/^\/instances\/0/, "") || "the request";
      return `${where}: ${problem.message}`;
    });
  }
}

/** The index of the list entry for the same instance (kind and host, as the list's duplicate check compares), or -1. */
export function listedIndex(list: InstanceList, kind: string, url: string): number {
  let host: string;
  try {
    host = hostOf(url);
  } catch {
    return -1;
  }
  return list.instances.findIndex((entry) => (kind === "" || entry.kind === kind) && hostOf(listedUrl(entry)) === host);
}

export interface RemoveRequest {
  url: string;
  problems: string[];
}

export function readRemoveRequest(issue: Issue): RemoveRequest {
  const tooLong = bodyProblem(issue);
  if (tooLong) return { url: "", problems: [tooLong] };
  const fields = formFields("remove-instance.yml");
  const { values } = readAnswers(issue.body ?? "", fields);
  const url = values.url ?? "";
  const label = fields.find((field) => field.id === "url")!.label;
  if (!url) return { url, problems: [`${label}: missing: fill it in`] };
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) return { url, problems: [`${label}: must be an http:// or https:// URL, e.g. https://example.com`] };
  return { url, problems: [] };
}

export type Resolve = (hostname: string) => Promise<{ address: string }[]>;

/**
 * Why the list's address policy refuses the URL's host (it resolves to a private, loopback
 * or other special-purpose address the list does not allow), or null. A name that does not
 * resolve is left to the probe, which reports it.
 */
export async function refusedAddress(url: string, setting: PrivateAddressSetting, resolve: Resolve = (name) => lookup(name, { all: true })): Promise<string | null> {
  const hostname = new URL(url).hostname.replace(/^\[|\]$/g, "");
  const policy = new AddressPolicy(setting);
  let addresses: { address: string }[];
  try {
    addresses = isIP(hostname) ? [{ address: hostname }] : await resolve(hostname);
  } catch {
    return null;
  }
  const refused = addresses.find(({ address }) => !policy.allows(address));
  return refused ? `${hostname} ${refused.address === hostname ? "is" : `resolves to ${refused.address}, which is`} a private, loopback or other special-purpose address, which this list does not probe` : null;
}
