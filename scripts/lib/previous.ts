// The previous run's output, whose values are kept for instances that cannot be refreshed.
import { existsSync, readFileSync } from "node:fs";
import type { Instance } from "./run.ts";
import { validateInstances } from "./schemas.ts";

/** The previous output, if there is a valid one: a broken file is ignored, not fatal. */
export function readPrevious(file: string): Instance[] {
  if (!existsSync(file)) return [];
  try {
    const value = JSON.parse(readFileSync(file, "utf8"));
    if (validateInstances(value)) return value as Instance[];
    console.warn(`warning: ${file} does not match the schema; starting without previous values`);
  } catch (error) {
    console.warn(`warning: ${file} cannot be read (${(error as Error).message}); starting without previous values`);
  }
  return [];
}
