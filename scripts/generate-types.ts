// Writes scripts/schema-types.ts from schemas/instances.schema.json, so the TypeScript
// types of the output can never drift from the schema (a test regenerates and compares).
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";
import { guardOutput } from "./lib/log.ts";
import { SCHEMA_DIR, readSchema } from "./lib/schemas.ts";

export const TYPES_FILE = fileURLToPath(new URL("./schema-types.ts", import.meta.url));

export async function generateTypes(): Promise<string> {
  return compile(readSchema("instances.schema.json") as never, "Instances", {
    cwd: SCHEMA_DIR,
    additionalProperties: false,
    // A capped array is an array: no tuple of every length up to its maxItems.
    maxItems: -1,
    bannerComment: "// Generated from schemas/*.schema.json by `npm run types`. Do not edit: edit the schema.",
    style: { singleQuote: false },
  });
}

if (import.meta.main) {
  guardOutput();
  writeFileSync(TYPES_FILE, await generateTypes());
  console.log(`wrote ${TYPES_FILE}`);
}
