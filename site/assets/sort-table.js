// Sorting for plain tables (class "sortable"): a header becomes a button that sorts the
// rows by its column (data-sort values first, else the cell's text). Without this script
// the table is complete, in the order the build wrote it.
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
const valueOf = (row, index) => {
  const cell = row.cells[index];
  return cell ? (cell.dataset.sort ?? cell.textContent.trim()) : "";
};
const compare = (a, b) => {
  const x = Number(a), y = Number(b);
  return a !== "" && b !== "" && Number.isFinite(x) && Number.isFinite(y) ? x - y : collator.compare(a, b);
};

for (const table of document.querySelectorAll("table.sortable")) {
  const headers = [...table.tHead.rows[0].cells];
  for (const header of headers) {
    const button = document.createElement("button");
    button.type = "button";
    // The label in a span of its own, as the list's tables have it: the sort arrow sits beside it.
    const label = document.createElement("span");
    label.className = "label";
    label.append(...header.childNodes);
    button.append(label);
    header.append(button);
    button.addEventListener("click", () => {
      // Numbers start with the lowest (the certificate that expires first), text from A.
      const descending = header.getAttribute("aria-sort") === "ascending";
      for (const other of headers) other.removeAttribute("aria-sort");
      header.setAttribute("aria-sort", descending ? "descending" : "ascending");
      const body = table.tBodies[0];
      const rows = [...body.rows].sort((a, b) => compare(valueOf(a, header.cellIndex), valueOf(b, header.cellIndex)) * (descending ? -1 : 1));
      body.append(...rows);
    });
  }
}
