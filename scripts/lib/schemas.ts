// Compiles the JSON Schemas once and turns validation errors into sentences that name
// the file, the JSON pointer and the fix.
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { API_KEY_PREFIX } from "./api-key.ts";

export const SCHEMA_DIR = fileURLToPath(new URL("../../schemas/", import.meta.url));

// Under NodeNext the CommonJS default export may arrive wrapped in { default }.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

export function readSchema(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(SCHEMA_DIR, file), "utf8"));
}

const ajv = new Ajv2020({ strict: true, allErrors: true, discriminator: true });
addFormats(ajv);
for (const file of readdirSync(SCHEMA_DIR).filter((name) => name.endsWith(".schema.json"))) {
  ajv.addSchema(readSchema(file));
}

function compiled(id: string): ValidateFunction {
  const validate = ajv.getSchema(id);
  if (!validate) throw new Error(`schema ${id} is missing from ${SCHEMA_DIR}`);
  return validate;
}

export const validateList = compiled("list.schema.json");

const formatChecks = new Map<string, ValidateFunction>();

/** Whether the output schema's own check of a format (`uri`, `date-time`, `date`) accepts a string. */
export function formatAccepts(format: string, value: string): boolean {
  let check = formatChecks.get(format);
  if (!check) formatChecks.set(format, check = ajv.compile({ type: "string", format }));
  return check(value);
}
export const validateInstances = compiled("instances.schema.json");
export const validateServiceHistory = compiled("service-history.schema.json");
export const validateServiceInstances = compiled("service-instances.schema.json");
export const validateStatus = compiled("status.schema.json");

/**
 * Why a list of instances fails the output schema, one line per problem naming the entry
 * ("/3/version (cobalt https://api.example): must be string"); empty when it is valid.
 */
export function instancesProblems(entries: unknown, limit = 20): string[] {
  if (validateInstances(entries)) return [];
  return problemsFrom(validateInstances.errors).slice(0, limit).map(({ pointer, message }) => {
    const entry = Array.isArray(entries) ? (entries[Number(pointer.split("/")[1])] as Record<string, unknown> | undefined) : undefined;
    const name = entry && typeof entry === "object" ? ` (${entry.kind} ${entry.api_url ?? entry.url ?? ""})` : "";
    return `${pointer}${name}: ${message}`;
  });
}

/** Why one output entry fails the schema, one line per key ("/thumbnail: must be a valid uri"); empty when it is valid. */
export function entryProblems(entry: unknown, limit = 20): string[] {
  if (validateInstances([entry])) return [];
  return problemsFrom(validateInstances.errors).slice(0, limit).map(({ pointer, message }) => `${pointer.replace(/^\/0/, "") || "/"}: ${message}`);
}

/** One problem found in a JSON document, located by JSON pointer. */
export interface Problem {
  pointer: string;
  message: string;
}

/** Keeps the most useful error per location: ajv reports every failed oneOf branch too. */
export function problemsFrom(errors: ErrorObject[] | null | undefined): Problem[] {
  const problems = new Map<string, Problem>();
  for (const error of errors ?? []) {
    if (error.keyword === "oneOf" || error.keyword === "if") continue;
    const pointer = error.keyword === "additionalProperties"
      ? `${error.instancePath}/${(error.params as { additionalProperty: string }).additionalProperty}`
      : error.instancePath;
    const message = describe(error);
    const key = `${pointer} ${message}`;
    if (!problems.has(key)) problems.set(key, { pointer: pointer || "/", message });
  }
  // A oneOf such as "boolean or list of ranges" fails both ways; when the value is the
  // right shape with a bad item, the item's error is the useful one, not "must be boolean".
  const all = mergeTypeAlternatives([...problems.values()]);
  return all.filter((problem) => !(problem.message.startsWith("must be ") && /^must be (boolean|string|number|integer|object|array|null)/.test(problem.message) &&
    all.some((other) => other.pointer.startsWith(`${problem.pointer}/`))));
}

/** "must be boolean" and "must be array" at one place become "must be boolean or array". */
function mergeTypeAlternatives(problems: Problem[]): Problem[] {
  const typeOnly = /^must be (boolean|string|number|integer|object|array|null)(,(boolean|string|number|integer|object|array|null))*$/;
  const merged: Problem[] = [];
  for (const problem of problems) {
    const earlier = typeOnly.test(problem.message) && merged.find((other) => other.pointer === problem.pointer && /^must be [a-z, ]+$/.test(other.message) && !other.message.includes(":"));
    if (earlier) earlier.message += ` or ${problem.message.slice("must be ".length)}`;
    else merged.push({ ...problem });
  }
  return merged;
}

/** The kinds a list may hold, read from the list schema's branches. */
function listKinds(): string[] {
  const schema = readSchema("list.schema.json") as { $defs: Record<string, { properties?: { kind?: { const?: string } } }> };
  return Object.values(schema.$defs).map((def) => def.properties?.kind?.const).filter((kind): kind is string => kind !== undefined);
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return `unknown key "${params.additionalProperty}": remove it or fix its spelling`;
    case "required":
      return `missing key "${params.missingProperty}": add it`;
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "const":
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case "discriminator":
      return params.error === "mapping"
        ? `unsupported kind ${JSON.stringify(params.tagValue)}: use one of ${listKinds().map((kind) => `"${kind}"`).join(", ")}`
        : `missing "${params.tag}": say which kind of instance this is`;
    case "pattern":
      return error.instancePath.endsWith("/allowPrivateAddresses") || /allowPrivateAddresses\/\d+$/.test(error.instancePath)
        ? "must be a CIDR range such as 127.0.0.1/32"
        : error.instancePath.endsWith("/apiKeyEnv")
          ? `must be ${API_KEY_PREFIX} followed by capital letters, digits and _ (e.g. ${API_KEY_PREFIX}EXAMPLE): rename the environment variable (and the repository secret) to start with ${API_KEY_PREFIX}`
          : /propertyNames/.test(error.schemaPath)
            ? `name ${JSON.stringify(params.propertyName ?? "")} must be lower-case letters, digits and _`
            : "must be an http:// or https:// URL, e.g. https://example.com";
    case "type":
      return `must be ${params.type}`;
    case "minimum":
    case "maximum":
      return `must be ${error.keyword === "minimum" ? "at least" : "at most"} ${params.limit}`;
    case "maxLength":
      return `must be at most ${params.limit} characters long: shorten it`;
    case "minLength":
      return `must be at least ${params.limit} characters long`;
    case "format":
      return `must be a valid ${params.format}`;
    default:
      return error.message ?? "is invalid";
  }
}
