// The request modules alone: reading a form's answers from any body, and editing the list's
// text so that only the one entry changes.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { formFields, readAnswers } from "../scripts/lib/requests/form.ts";
import { addEntry, removeEntry } from "../scripts/lib/requests/list-edit.ts";
import { parseList } from "../scripts/lib/list.ts";

const LIST = `{
  "title": "A list",
  "instances": [
    { "kind": "cobalt", "api": "https://one.example" },
    { "kind": "mastodon", "url": "https://two.example" }
  ]
}
`;

describe("reading an issue form's answers", () => {
  const fields = formFields("add-instance.yml");

  it("reads each answer under its label, a heading that is no label as part of the answer, and the consent box", () => {
    const body = "### Kind\n\ncobalt\n\n### API URL\n\nhttps://api.example\n\n### Display name\n\n_No response_\n\n### Terms and notes\n\nline one\n### Not a label\nline two\n\n### Consent\n\n- [X] I agree";
    const { values, ticked } = readAnswers(body, fields);
    assert.deepEqual(values, { kind: "cobalt", url: "https://api.example", notes: "line one\n### Not a label\nline two" });
    assert.deepEqual(ticked, { consent: true });
    assert.deepEqual(readAnswers(body.replace("[X]", "[ ]"), fields).ticked, { consent: false });
  });

  it("keeps the first answer when a label appears twice, so text in a later field cannot replace an earlier one", () => {
    const { values } = readAnswers("### API URL\n\nhttps://first.example\n\n### Terms and notes\n\n### API URL\n\nhttps://second.example", fields);
    assert.equal(values.url, "https://first.example");
  });

  it("never throws, whatever the body", () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.constantFrom("### API URL", "### Consent", "- [X] yes", "_No response_", "\r\n", "\n"), fc.string())), (parts) => {
      const { values } = readAnswers(parts.join("\n"), fields);
      for (const value of Object.values(values)) assert.equal(value, value.trim());
    }));
  });
});

describe("editing the list's text", () => {
  const entry = { kind: "cobalt", api: "https://three.example", operator: { contact: "ops@three.example", consent: "https://github.com/o/r/issues/3" } };

  it("adds an entry on one line after the last, every other line unchanged", () => {
    const after = addEntry(LIST, entry);
    assert.deepEqual(parseList("list.json", after).instances.at(-1), entry);
    const lines = after.split("\n");
    assert.equal(lines[5], `    { "kind": "cobalt", "api": "https://three.example", "operator": { "contact": "ops@three.example", "consent": "https://github.com/o/r/issues/3" } }`);
    assert.deepEqual(lines.filter((_, index) => index !== 5), LIST.replace('"https://two.example" }\n', '"https://two.example" },\n').split("\n"));
  });

  it("removes an entry and adds it back: any entry, the list stays valid and the others stay as they were", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1 }), (index) => {
      const removed = parseList("list.json", removeEntry(LIST, index)).instances;
      const before = parseList("list.json", LIST).instances;
      assert.deepEqual(removed, before.filter((_, at) => at !== index));
    }));
    assert.deepEqual(parseList("list.json", addEntry(removeEntry(removeEntry(LIST, 1), 0), entry)).instances, [entry]);
  });

  it("refuses to remove an entry the list does not have", () => {
    assert.throws(() => removeEntry(LIST, 2), /no entry 2/);
  });
});
