// The fuzz suite's oracle for "no live markup" must see a link as a browser does: a scheme
// written with character references, tabs or another case is still the scheme it spells.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { liveMarkup } from "./support/markup.ts";

describe("live markup in a built page", () => {
  it("is found in a javascript: link however it is written, a data: link and an event handler", () => {
    for (const href of ["javascript:alert(1)", " JavaScript:alert(1)", "&#106;avascript:alert(1)", "&#x6A;ava&Tab;script:alert(1)", "java\nscript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)"]) {
      assert.equal(liveMarkup(`<p><a href="${href}">x</a></p>`).length, 1, href);
    }
    assert.equal(liveMarkup(`<form><button formaction='&#x6a;avascript:alert(1)'>x</button></form>`).length, 1);
    assert.equal(liveMarkup(`<img src=x onerror=alert(1)>`).length, 1);
    assert.equal(liveMarkup(`<script>alert(1)</script>`).length, 1);
  });

  it("is not found in the site's own links, scripts and escaped text", () => {
    const page = `<link rel="stylesheet" href="/assets/site.css"><script type="module" src="/assets/list.js"></script>
<a href="https://api.example/?a=1&amp;b=2">api</a> <a href="/instances/cobalt/a.example/">a</a> <a href="#top">top</a> <a href="mailto:admin@example.com">mail</a>
<p>&lt;a href=&quot;javascript:alert(1)&quot; onclick=&quot;x&quot;&gt;</p>`;
    assert.deepEqual(liveMarkup(page), []);
  });
});
