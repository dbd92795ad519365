// Where an API key may go, as the probe decides it for each instance: only a variable named
// INSTANCE_KEY_…, only over https or to an address the list names by range. The list check
// refuses the rest first (test/list-errors.test.ts); this is the same rule at send time.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { apiKeyFor } from "../scripts/lib/api-key.ts";

const env = { HOME: "/root", INSTANCE_KEY_A: "secret" };

describe("apiKeyFor", () => {
  it("never reads a variable outside INSTANCE_KEY_, whatever the list says", () => {
    assert.equal(apiKeyFor({ api: "https://a.example", apiKeyEnv: "HOME" }, env, false), undefined);
  });

  it("gives the key to an https API", () => {
    assert.equal(apiKeyFor({ api: "https://a.example", apiKeyEnv: "INSTANCE_KEY_A" }, env, false), "secret");
  });

  it("gives no key to an http API, even when every address is allowed", () => {
    assert.equal(apiKeyFor({ api: "http://a.example", apiKeyEnv: "INSTANCE_KEY_A" }, env, ["127.0.0.1/32"]), undefined);
    assert.equal(apiKeyFor({ api: "http://127.0.0.1:9", apiKeyEnv: "INSTANCE_KEY_A" }, env, true), undefined);
    assert.equal(apiKeyFor({ api: "http://127.0.0.2:9", apiKeyEnv: "INSTANCE_KEY_A" }, env, ["127.0.0.1/32"]), undefined);
  });

  it("gives the key to an http API on an address the list names by range (loopback tests)", () => {
    assert.equal(apiKeyFor({ api: "http://127.0.0.1:9", apiKeyEnv: "INSTANCE_KEY_A" }, env, ["127.0.0.1/32"]), "secret");
    assert.equal(apiKeyFor({ api: "http://[::1]:9", apiKeyEnv: "INSTANCE_KEY_A" }, env, ["::1/128"]), "secret");
  });

  it("gives no key when the variable is unset or empty", () => {
    assert.equal(apiKeyFor({ api: "https://a.example", apiKeyEnv: "INSTANCE_KEY_B" }, { INSTANCE_KEY_B: "" }, false), undefined);
    assert.equal(apiKeyFor({ api: "https://a.example" }, env, false), undefined);
  });
});
