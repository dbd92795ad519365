// Sorting and filtering for the instance tables. Without this script the tables are
// complete; with it, header buttons sort and the filter form narrows the rows. The
// filters live in the URL's query string, so a filtered view can be bookmarked or shared.
(() => {
  "use strict";
  const tables = [...document.querySelectorAll("table.instances")];
  const form = document.getElementById("filters");
  if (!tables.length) return;

  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  const cellValue = (row, index) => {
    const cell = row.cells[index];
    return cell ? (cell.dataset.sort ?? cell.textContent.trim()) : "";
  };
  const compare = (a, b) => {
    const x = Number(a), y = Number(b);
    return a !== "" && b !== "" && Number.isFinite(x) && Number.isFinite(y) ? x - y : collator.compare(a, b);
  };

  function sortBy(table, header) {
    const index = header.cellIndex;
    // Numbers start with the highest (the best score, the most users), text from A.
    const numeric = header.dataset.type === "number";
    const current = header.getAttribute("aria-sort");
    const descending = current ? current === "ascending" : numeric;
    for (const th of table.tHead.rows[0].cells) th.removeAttribute("aria-sort");
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
    const body = table.tBodies[0];
    const rows = [...body.rows].sort((a, b) => compare(cellValue(a, index), cellValue(b, index)) * (descending ? -1 : 1));
    body.append(...rows);
  }

  for (const table of tables) {
    for (const header of table.tHead.rows[0].cells) {
      const button = document.createElement("button");
      button.type = "button";
      button.append(...header.childNodes);
      button.addEventListener("click", () => sortBy(table, header));
      header.append(button);
    }
  }

  if (!form) return;

  // How a row passes each filter, given the control's value (a string, or true for a ticked box).
  const FILTERS = {
    online: (row) => row.dataset.online === "1",
    q: (row, text) => row.textContent.toLowerCase().includes(text.toLowerCase()),
    service: (row, name) => (row.dataset.works ?? "").includes(` ${name} `),
    score: (row, min) => Number(row.dataset.score ?? -1) >= Number(min),
    trust: (row, level) => row.dataset.trust === level,
    open: (row) => row.dataset.open === "1",
    signups: (row) => row.dataset.signups === "1",
    language: (row, code) => (row.dataset.languages ?? "").includes(` ${code} `),
  };
  const controls = [...form.elements].filter((control) => Object.hasOwn(FILTERS, control.name));
  const valueOf = (control) => (control.type === "checkbox" ? control.checked : control.value.trim());
  // A control inside <fieldset data-kind="…"> only filters that kind's table.
  const kindOf = (control) => control.closest("fieldset[data-kind]")?.dataset.kind ?? null;

  const params = new URLSearchParams(location.search);
  for (const control of controls) {
    if (!params.has(control.name)) continue;
    if (control.type === "checkbox") control.checked = params.get(control.name) === "1";
    else control.value = params.get(control.name);
  }

  function apply() {
    const active = controls
      .map((control) => ({ name: control.name, value: valueOf(control), kind: kindOf(control) }))
      .filter((filter) => filter.value !== "" && filter.value !== false);
    let shown = 0, total = 0;
    for (const table of tables) {
      const kind = table.dataset.kind;
      const filters = active.filter((filter) => filter.kind === null || filter.kind === kind);
      for (const row of table.tBodies[0].rows) {
        const visible = filters.every((filter) => FILTERS[filter.name](row, filter.value));
        row.hidden = !visible;
        total++;
        if (visible) shown++;
      }
    }
    form.elements.count.value = `${shown} of ${total} shown`;
    const query = new URLSearchParams(active.map((filter) => [filter.name, filter.value === true ? "1" : filter.value]));
    history.replaceState(null, "", query.size ? `?${query}` : location.pathname);
  }

  form.hidden = false;
  form.addEventListener("input", apply);
  form.addEventListener("submit", (event) => event.preventDefault());
  apply();
})();
