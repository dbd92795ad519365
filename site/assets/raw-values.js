// "Every probed value" on an instance page: filled from the instance's own JSON file when
// the reader opens it, so that the values are not written twice into every page. Values are
// set as text, never as markup: they are what the instance sent.
async function fill(details) {
  const list = details.querySelector("dl.values");
  if (!list || list.dataset.filled) return;
  list.dataset.filled = "yes";
  const status = details.querySelector(".raw-status");
  // The status line's links carry the URLs, with the site's path prefix.
  const json = details.querySelector("a.json-link").href;
  const keys = details.querySelector("a.keys-link").href;
  try {
    const response = await fetch(json);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const entry = await response.json();
    for (const [key, value] of Object.entries(entry)) {
      const term = document.createElement("dt");
      const link = Object.assign(document.createElement("a"), { href: `${keys}#${entry.kind}-key-${key}` });
      link.append(Object.assign(document.createElement("code"), { textContent: key }));
      term.append(link);
      const description = document.createElement("dd");
      if (value === null) description.append(Object.assign(document.createElement("span"), { className: "none", textContent: "null" }));
      else if (typeof value === "string") description.textContent = value;
      else description.append(Object.assign(document.createElement("code"), { textContent: JSON.stringify(value) }));
      list.append(term, description);
    }
    status.remove();
  } catch (error) {
    delete list.dataset.filled;
    status.textContent = `The values could not be loaded (${error.message}); they are in the JSON file linked above.`;
  }
}

for (const details of document.querySelectorAll("details.raw-values")) {
  details.addEventListener("toggle", () => details.open && fill(details));
  if (details.open) fill(details);
}
