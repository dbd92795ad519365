// Reads an issue made from one of the repository's issue forms. GitHub writes the answers
// into the body as Markdown: `### <label>`, a blank line, the answer (`_No response_` when
// left empty; `- [X] <option>` per ticked checkbox). The labels come from the form itself
// (.github/ISSUE_TEMPLATE/), so the parser follows the form when it changes.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** GitHub refuses an issue body longer than this; a longer one did not come from the form. */
export const MAX_BODY = 65_536;

export interface FormField {
  id: string;
  label: string;
  type: string;
}

export interface FormAnswers {
  /** Field id → its answer, trimmed; absent when left empty. */
  values: Record<string, string>;
  /** Checkbox field id → whether every one of its options is ticked. */
  ticked: Record<string, boolean>;
}

export const FORMS_DIR = new URL("../../../.github/ISSUE_TEMPLATE/", import.meta.url);

export function formFields(file: string): FormField[] {
  const form = parse(readFileSync(new URL(file, FORMS_DIR), "utf8")) as { body: { type: string; id?: string; attributes: { label?: string } }[] };
  return form.body.filter((item) => item.type !== "markdown" && item.id && item.attributes.label)
    .map((item) => ({ id: item.id!, label: item.attributes.label!, type: item.type }));
}

/** The answers in an issue body; a heading that is not one of the form's labels is part of the answer before it. */
export function readAnswers(body: string, fields: FormField[]): FormAnswers {
  const byLabel = new Map(fields.map((field) => [field.label, field]));
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of body.split(/\r?\n/)) {
    const field = line.startsWith("### ") ? byLabel.get(line.slice(4).trim()) : undefined;
    if (field && !sections.has(field.id)) sections.set(field.id, current = []);
    else current?.push(line);
  }
  const values: Record<string, string> = {};
  const ticked: Record<string, boolean> = {};
  for (const field of fields) {
    const text = (sections.get(field.id) ?? []).join("\n").trim();
    if (field.type === "checkboxes") {
      const boxes = text.split("\n").map((line) => /^[-*] \[([ xX])\]/.exec(line.trimStart())?.[1]).filter((box) => box !== undefined);
      ticked[field.id] = boxes.length > 0 && boxes.every((box) => box !== " ");
    } else if (text !== "" && text !== "_No response_") {
      values[field.id] = text;
    }
  }
  return { values, ticked };
}
