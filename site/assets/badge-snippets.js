// An instance page's badges, ready to paste into a README: the page lists the badge files;
// the Markdown for each is made here from their links and the page's canonical address
// (a site without a public URL has none, and gets no snippet).
import { badgeMarkdown } from "./badge-markdown.js";

const canonical = document.querySelector('link[rel="canonical"]')?.href;
const name = document.querySelector("h1")?.textContent ?? "";
for (const list of canonical ? document.querySelectorAll("p.badges") : []) {
  const details = Object.assign(document.createElement("details"), { className: "badges" });
  details.append(Object.assign(document.createElement("summary"), { textContent: "Markdown for a README" }));
  for (const link of list.querySelectorAll("a[data-badge]")) {
    const code = document.createElement("code");
    code.textContent = badgeMarkdown(new URL(link.getAttribute("href"), canonical).href, canonical, `${link.dataset.badge} of ${name}`);
    const pre = Object.assign(document.createElement("pre"), { className: "wrap" });
    pre.append(code);
    details.append(pre);
  }
  list.after(details);
}
