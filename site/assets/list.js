// Sorting and filtering for the instance tables. Without this script the tables are
// complete; with it, header buttons sort and the filter form narrows the rows.
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
    const descending = header.getAttribute("aria-sort") === "ascending";
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
  form.hidden = false;
  const params = new URLSearchParams(location.search);
  for (const name of ["score", "service", "trust", "q"]) if (params.has(name)) form.elements[name].value = params.get(name);
  if (params.get("online") === "1") form.elements.online.checked = true;

  function apply() {
    const online = form.elements.online.checked;
    const score = Number(form.elements.score.value || 0);
    const service = form.elements.service.value;
    const trust = form.elements.trust.value;
    const query = form.elements.q.value.trim().toLowerCase();
    let shown = 0, total = 0;
    for (const table of tables) {
      for (const row of table.tBodies[0].rows) {
        const data = row.dataset;
        const visible =
          (!online || data.online === "1") &&
          (!score || Number(data.score ?? -1) >= score) &&
          (!service || (data.works ?? "").includes(` ${service} `)) &&
          (!trust || data.trust === trust) &&
          (!query || row.textContent.toLowerCase().includes(query));
        row.hidden = !visible;
        total++;
        if (visible) shown++;
      }
    }
    form.elements.count.value = `${shown} of ${total} shown`;
  }
  form.addEventListener("input", apply);
  form.addEventListener("submit", (event) => event.preventDefault());
  apply();
})();
