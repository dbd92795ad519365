// The TypeScript types of the output are generated from the schema; this keeps them in step.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { generateTypes, TYPES_FILE } from "../scripts/generate-types.ts";

describe("scripts/schema-types.ts", () => {
  it("is exactly what the schemas generate (run `npm run types` after editing a schema)", async () => {
    assert.equal(readFileSync(TYPES_FILE, "utf8"), await generateTypes());
  });
});
