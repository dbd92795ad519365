// The shared normalisers: whatever an instance sends, what they return is a value the
// output schema accepts, or null.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { boundedNumber, capText, count, DATE_MS, dateOfEpochSeconds, dateTime, inertText, text, url } from "../scripts/lib/normalise.ts";
import { formatAccepts } from "../scripts/lib/schemas.ts";

describe("inertText", () => {
  it("turns every C0 and C1 control character and U+2028/U+2029 into a space", () => {
    assert.equal(inertText("a\u0000b\nc\rd\te\u001bf\u007fg\u0085h\u009fi\u2028j\u2029k"), "a b c d e f g h i j k");
  });

  it("replaces a lone surrogate with U+FFFD and keeps pairs", () => {
    assert.equal(inertText("a\ud800b🐘"), "a\ufffdb🐘");
  });

  it("normalises to NFC", () => {
    assert.equal(inertText("e\u0301"), "\u00e9");
  });
});

describe("text", () => {
  it("lower-cases before it caps, so 100 × İ still fits 100 characters", () => {
    const name = text("İ".repeat(100), 100, { fold: true });
    assert.ok(name !== null && [...name].length <= 100, `${name?.length} characters`);
    assert.equal(name, "i̇".repeat(50));
  });

  it("never cuts a surrogate pair in half", () => {
    assert.equal(text("ab🐘", 3), "ab");
    assert.equal(capText("🐘🐘", 3), "🐘");
  });

  it("is null for what is not a string or is only white space and controls", () => {
    assert.equal(text(42), null);
    assert.equal(text(" \u0000\u2028 "), null);
  });
});

describe("url", () => {
  it("refuses a URL the schema's uri format refuses, such as a | in the path", () => {
    assert.equal(url("https://evil.example/a|b.png"), null);
    assert.equal(formatAccepts("uri", "https://evil.example/a|b.png"), false);
  });

  it("re-serialises what it keeps", () => {
    assert.equal(url("HTTPS://Example.COM/a b"), "https://example.com/a%20b");
    assert.equal(url("wss://example.com", { schemes: ["wss"] }), "wss://example.com/");
  });

  it("refuses other schemes, relative URLs and URLs longer than the cap", () => {
    assert.equal(url("javascript:alert(1)"), null);
    assert.equal(url("/relative"), null);
    assert.equal(url(`https://example.com/${"a".repeat(3000)}`), null);
  });
});

describe("dates", () => {
  it("refuses a date-time whose year leaves 0001–9999 once converted to UTC", () => {
    assert.equal(dateTime("0000-01-01T00:00:00+01:00"), null);
    assert.equal(dateTime("9999-12-31T23:30:00-01:00"), null);
    assert.equal(dateTime("0001-01-01T00:30:00+01:00"), null);
  });

  it("converts a date-time to UTC, to the second", () => {
    assert.equal(dateTime("2022-11-03T05:09:07.123+01:00"), "2022-11-03T04:09:07Z");
    assert.equal(dateTime("0001-01-01T00:00:00Z"), "0001-01-01T00:00:00Z");
  });

  it("refuses an activity week past 9999", () => {
    assert.equal(dateOfEpochSeconds(253402300800), null);
    assert.equal(dateOfEpochSeconds(253402214400), "9999-12-31");
  });
});

describe("numbers", () => {
  it("refuses a number outside the schema's bounds rather than guessing", () => {
    assert.equal(boundedNumber(1e300, { minimum: 0, maximum: DATE_MS.maximum }), null);
    assert.equal(boundedNumber("1700000000000", { minimum: 0, maximum: DATE_MS.maximum }), 1700000000000);
  });

  it("counts only non-negative safe integers", () => {
    assert.equal(count(2 ** 53), null);
    assert.equal(count(-1), null);
    assert.equal(count("12"), 12);
  });
});
