// Compiles the JSON Schemas once and turns validation errors into sentences that name
// the file, the JSON pointer and the fix.
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

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
export const validateInstances = compiled("instances.schema.json");

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
  return [...problems.values()];
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
        ? `unsupported kind ${JSON.stringify(params.tagValue)}: use one of the kinds this list supports`
        : `missing "${params.tag}": say which kind of instance this is`;
    case "pattern":
      return error.instancePath.endsWith("/allowPrivateAddresses") || /allowPrivateAddresses\/\d+$/.test(error.instancePath)
        ? "must be a CIDR range such as 127.0.0.1/32"
        : /propertyNames/.test(error.schemaPath)
          ? `name ${JSON.stringify(params.propertyName ?? "")} must be lower-case letters, digits and _`
          : "must be an http:// or https:// URL, e.g. https://example.com";
    case "type":
      return `must be ${params.type}`;
    case "minimum":
    case "maximum":
      return `must be ${error.keyword === "minimum" ? "at least" : "at most"} ${params.limit}`;
    case "format":
      return `must be a valid ${params.format}`;
    default:
      return error.message ?? "is invalid";
  }
}
