// Values that change at every check without saying anything new about an instance. A run
// whose only differences are these makes no commit, so the history shows real changes.
export const VOLATILE_KEYS: ReadonlySet<string> = new Set(["checked_at", "data_updated_at", "response_ms"]);

/** A copy of a JSON value without volatile keys, at any depth. */
export function withoutVolatile(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutVolatile);
  if (typeof value !== "object" || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (!VOLATILE_KEYS.has(key)) copy[key] = withoutVolatile(item);
  return copy;
}

/** Whether two outputs differ in anything but volatile values (key order does not count). */
export function dataChanged(before: unknown, after: unknown): boolean {
  return canonical(withoutVolatile(before)) !== canonical(withoutVolatile(after));
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "object" && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item);
}
