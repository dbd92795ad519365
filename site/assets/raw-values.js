// "Every probed value" on an instance page: a collapsed list filled from the instance's own
// JSON file when the reader opens it, so that the values are not written twice into every
// page. Values are set as text, never as markup: they are what the instance sent.
import { instanceEntry } from "./instance-json.js";

const element = (name, properties = {}) => Object.assign(document.createElement(name), properties);

async function fill(details, keys) {
  const list = details.querySelector("dl.values");
  if (list.dataset.filled) return;
  list.dataset.filled = "yes";
  const status = details.querySelector(".raw-status");
  status.textContent = "Loading…";
  try {
    const entry = await instanceEntry();
    for (const [key, value] of Object.entries(entry)) {
      const term = element("dt");
      const link = element("a", { href: `${keys}#${entry.kind}-key-${key}` });
      link.append(element("code", { textContent: key }));
      term.append(link);
      const description = element("dd");
      if (value === null) description.append(element("span", { className: "none", textContent: "null" }));
      else if (typeof value === "string") description.textContent = value;
      else description.append(element("code", { textContent: JSON.stringify(value) }));
      list.append(term, description);
    }
    status.remove();
  } catch (error) {
    delete list.dataset.filled;
    status.textContent = `The values could not be loaded (${error.message}); they are in the JSON file linked above.`;
  }
}

for (const section of document.querySelectorAll("section.raw")) {
  // The paragraph's link carries the keys page's URL, with the site's path prefix.
  const keys = section.querySelector("a.keys-link")?.href;
  if (!keys) continue;
  const details = element("details", { className: "raw-values" });
  details.append(element("summary", { textContent: "Every probed value" }), element("p", { className: "raw-status" }), element("dl", { className: "values" }));
  details.addEventListener("toggle", () => details.open && fill(details, keys));
  section.append(details);
}
