// The CDN in front of an instance, read from headers alone.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { cdnOf } from "../scripts/lib/cdn.ts";
import { readSchema } from "../scripts/lib/schemas.ts";

describe("cdnOf", () => {
  it("names each CDN by the header it adds", () => {
    const cases: Array<[Record<string, string>, string | null]> = [
      [{ "cf-ray": "8f0e1d2c3b4a5968-FRA" }, "cloudflare"],
      [{ server: "cloudflare" }, "cloudflare"],
      [{ "x-amz-cf-id": "abc==" }, "cloudfront"],
      [{ via: "1.1 0123abcd.cloudfront.net (CloudFront)" }, "cloudfront"],
      [{ "x-served-by": "cache-fra-etou8220072-FRA" }, "fastly"],
      [{ "x-azure-ref": "0abc" }, "azure_front_door"],
      [{ "x-sucuri-id": "11005" }, "sucuri"],
      [{ server: "BunnyCDN-DE1-1054" }, "bunny"],
      [{ server: "AkamaiGHost" }, "akamai"],
      [{ server: "nginx/1.27.0", via: "1.1 varnish" }, null],
      [{ server: "Caddy" }, null],
      [{}, null],
    ];
    for (const [headers, cdn] of cases) assert.equal(cdnOf(headers), cdn, JSON.stringify(headers));
  });

  it("answers only what the schema allows, whatever the headers say", () => {
    const allowed = (readSchema("cobalt.schema.json") as { properties: { cdn: { enum: unknown[] } } }).properties.cdn.enum;
    const names = fc.constantFrom("server", "via", "x-served-by", "cf-ray", "x-amz-cf-id", "x-azure-ref", "x-sucuri-id", "x-other");
    fc.assert(fc.property(fc.dictionary(names, fc.string({ maxLength: 300 })), (headers) => allowed.includes(cdnOf(headers))));
  });
});
