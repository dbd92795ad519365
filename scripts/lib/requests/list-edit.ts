// Adds or removes one entry in data/list.json's text, leaving every other byte as the
// maintainer wrote it (a diff of one line): a new entry goes on a line of its own after the
// last one, in the one-line style the list uses.
import { applyEdits, findNodeAtLocation, modify, parseTree } from "jsonc-parser";

/** `{ "kind": "cobalt", "api": "…", "operator": { … } }` on one line. */
export function inlineJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(", ")}]`;
  const pairs = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${inlineJson(item)}`);
  return pairs.length ? `{ ${pairs.join(", ")} }` : "{}";
}

function instancesNode(text: string) {
  const node = findNodeAtLocation(parseTree(text)!, ["instances"]);
  if (!node || node.type !== "array") throw new Error("the list has no instances array");
  return node;
}

export function addEntry(text: string, entry: unknown): string {
  const instances = instancesNode(text);
  const last = instances.children?.at(-1);
  if (!last) return applyEdits(text, modify(text, ["instances", 0], entry, { isArrayInsertion: true, formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  const lineStart = text.lastIndexOf("\n", last.offset) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const end = last.offset + last.length;
  return `${text.slice(0, end)},\n${indent}${inlineJson(entry)}${text.slice(end)}`;
}

export function removeEntry(text: string, index: number): string {
  const count = instancesNode(text).children?.length ?? 0;
  if (index < 0 || index >= count) throw new Error(`the list has no entry ${index}`);
  return applyEdits(text, modify(text, ["instances", index], undefined, {}));
}
