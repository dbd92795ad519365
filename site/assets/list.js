// Filters, search, sorting and pages for the home page's tables. Without this script the
// page is complete: the first page of each kind, and links to static pages of the rest.
// With it, the filter form appears; a filter, a search or a sort fetches the kind's compact
// index (/assets/list-<kind>.json, only then) and draws the matching rows a page at a
// time with the same code the build used. Filters, sort and page live in the URL.
import { PAGE_SIZE, columnsOf, formatNumber, kindTitle, rowsHtml } from "./rows.js";

const form = document.getElementById("filters");
const base = new URL("../", import.meta.url).pathname;
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** How a row passes each filter, given the control's value (a string, or true for a ticked box). */
const FILTERS = {
  online: (row) => row.o > 0,
  q: (row, text) => row.text.includes(text.toLowerCase()),
  service: (row, name, index) => row.sv[index.services.indexOf(name)] === "p",
  score: (row, min) => row.c !== null && row.c >= Number(min),
  trust: (row, level) => row.t === level,
  open: (row) => row.p === "",
  nocdn: (row) => row.o > 0 && row.d === null,
  ipv6: (row) => row.o > 0 && row.v6 === 1,
  signups: (row) => row.g > 0,
  language: (row, code) => row.l.includes(code),
};

const kinds = [...document.querySelectorAll("section.kind")].map((section) => {
  const table = section.querySelector("table.instances");
  const kind = table.dataset.kind;
  const count = section.querySelector("[data-count]");
  const pager = document.createElement("nav");
  pager.className = "pager";
  pager.hidden = true;
  pager.setAttribute("aria-label", `Pages of ${kindTitle(kind)}`);
  section.append(pager);
  return {
    kind, section, table, count, pager,
    box: table.parentElement,
    staticPager: section.querySelector("nav[data-static]"),
    // The build's rows stay as they are until a filter, a sort or a page replaces them, and come back as they were.
    original: { body: table.tBodies[0], count: count.innerHTML },
    index: null,
    loading: null,
    sort: null,
    page: 1,
  };
});

/** The kind's index, fetched once; each row also gets the text search looks in. */
function load(state) {
  state.loading ??= fetch(new URL(`list-${state.kind}.json`, import.meta.url))
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((index) => {
      for (const row of index.rows) row.text = [row.n, row.h, row.w ?? "", row.f ?? "", row.v].join(" ").toLowerCase();
      state.index = index;
    })
    .catch((error) => {
      state.loading = null;
      throw error;
    });
  return state.loading;
}

const controls = form ? [...form.elements].filter((control) => Object.hasOwn(FILTERS, control.name)) : [];
const valueOf = (control) => (control.type === "checkbox" ? control.checked : control.value.trim());
// A control inside <fieldset data-kind="…"> filters only that kind; the others are set aside meanwhile.
const kindOf = (control) => control.closest("fieldset[data-kind]")?.dataset.kind ?? null;
const activeFilters = () => controls
  .map((control) => ({ name: control.name, value: valueOf(control), kind: kindOf(control), control }))
  .filter((filter) => filter.value !== "" && filter.value !== false);

function readUrl() {
  const params = new URLSearchParams(location.search);
  for (const control of controls) {
    if (!params.has(control.name)) continue;
    if (control.type === "checkbox") control.checked = params.get(control.name) === "1";
    else control.value = params.get(control.name);
  }
  for (const state of kinds) {
    const sort = params.get(`sort-${state.kind}`) ?? "";
    const key = sort.replace(/^-/, "");
    state.sort = columnsOf(state.kind).some((column) => column.key === key) ? { key, descending: sort.startsWith("-") } : null;
    state.page = Math.max(1, Math.floor(Number(params.get(`page-${state.kind}`))) || 1);
  }
}

function writeUrl(active) {
  const query = new URLSearchParams(active.map((filter) => [filter.name, filter.value === true ? "1" : filter.value]));
  for (const state of kinds) {
    if (state.sort) query.set(`sort-${state.kind}`, `${state.sort.descending ? "-" : ""}${state.sort.key}`);
    if (state.page > 1) query.set(`page-${state.kind}`, String(state.page));
  }
  history.replaceState(null, "", query.size ? `?${query}${location.hash}` : location.pathname + location.hash);
}

function sorted(state, rows) {
  if (!state.sort) return rows;
  const column = columnsOf(state.kind).find((candidate) => candidate.key === state.sort.key);
  const direction = state.sort.descending ? -1 : 1;
  return rows.toSorted((a, b) => {
    const x = column.value(a), y = column.value(b);
    return (typeof x === "number" && typeof y === "number" ? x - y : collator.compare(String(x), String(y))) * direction;
  });
}

function button(text, onClick) {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = text;
  element.addEventListener("click", onClick);
  return element;
}

function clearFilters(kind) {
  for (const control of controls) {
    if (kind !== undefined && kindOf(control) !== kind) continue;
    if (control.type === "checkbox") control.checked = false;
    else control.value = "";
  }
  for (const state of kinds) state.page = 1;
  void apply();
}

function drawPager(state, pages) {
  state.pager.replaceChildren();
  state.pager.hidden = pages < 2;
  if (pages < 2) return;
  const go = (page) => () => {
    state.page = page;
    void apply().then(() => state.section.scrollIntoView({ block: "start" }));
  };
  if (state.page > 1) state.pager.append(button("← Previous", go(state.page - 1)));
  const where = document.createElement("span");
  where.textContent = `Page ${state.page} of ${pages}`;
  state.pager.append(where);
  if (state.page < pages) state.pager.append(button("Next →", go(state.page + 1)));
}

/** One kind's part of the view: set aside, its static first page, or the matching rows. */
async function drawKind(state, active, ownKinds, generation) {
  const setAside = ownKinds.size > 0 && !ownKinds.has(state.kind);
  const filters = active.filter((filter) => filter.kind === null || filter.kind === state.kind);
  const count = state.count;
  if (setAside) {
    const others = [...ownKinds].map(kindTitle).join(" and ");
    count.textContent = `Set aside while filters for ${others} are on: they do not apply here. `;
    count.append(button(`Clear the filters for ${others}`, () => clearFilters([...ownKinds][0])));
    state.box.hidden = true;
    if (state.staticPager) state.staticPager.hidden = true;
    state.pager.hidden = true;
    return "set aside";
  }
  if (!filters.length && !state.sort && state.page === 1) {
    if (state.table.tBodies[0] !== state.original.body) state.table.tBodies[0].replaceWith(state.original.body);
    count.innerHTML = state.original.count;
    state.box.hidden = false;
    if (state.staticPager) state.staticPager.hidden = false;
    state.pager.hidden = true;
    return "all";
  }
  if (!state.index) {
    count.textContent = "Loading every instance…";
    try {
      await load(state);
    } catch (error) {
      count.textContent = `The full list could not be loaded (${error.message}); reload the page to try again.`;
      return "not loaded";
    }
    if (generation !== drawn) return null;
  }
  const index = state.index;
  const matching = sorted(state, index.rows.filter((row) => filters.every((filter) => FILTERS[filter.name](row, filter.value, index))));
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  state.page = Math.min(state.page, pages);
  const first = (state.page - 1) * PAGE_SIZE;
  const shown = matching.slice(first, first + PAGE_SIZE);
  const body = document.createElement("tbody");
  body.innerHTML = rowsHtml(shown, { kind: state.kind, base, labels: index.labels });
  state.table.tBodies[0].replaceWith(body);
  state.box.hidden = shown.length === 0;
  if (state.staticPager) state.staticPager.hidden = true;
  drawPager(state, pages);
  if (!matching.length) {
    count.textContent = `Nothing matches (of ${formatNumber(index.rows.length)} listed) — `;
    count.append(button("clear filters", () => clearFilters()));
  } else {
    const sortedBy = state.sort ? `, sorted by ${columnsOf(state.kind).find((column) => column.key === state.sort.key).label.toLowerCase()}` : "";
    const what = filters.length ? `${formatNumber(matching.length)} of ${formatNumber(index.rows.length)} match` : `${formatNumber(matching.length)} listed`;
    count.textContent = `${what}${sortedBy}${matching.length > PAGE_SIZE ? `; showing ${formatNumber(first + 1)}–${formatNumber(first + shown.length)}` : ""}.`;
  }
  const service = filters.find((filter) => filter.name === "service");
  if (service) {
    const ranking = document.createElement("a");
    ranking.href = `${base}services/${encodeURIComponent(service.value)}/`;
    ranking.textContent = `${service.control.selectedOptions[0]?.textContent ?? service.value}: every instance ranked, with pass shares`;
    const go = document.createElement("a");
    go.href = `${base}go/${encodeURIComponent(service.value)}/`;
    go.textContent = "open one that works";
    count.append(" ", ranking, " · ", go);
  }
  return `${formatNumber(matching.length)} of ${formatNumber(index.rows.length)}`;
}

let drawn = 0;
async function apply() {
  const generation = ++drawn;
  const active = activeFilters();
  const ownKinds = new Set(active.map((filter) => filter.kind).filter(Boolean));
  const results = await Promise.all(kinds.map((state) => drawKind(state, active, ownKinds, generation)));
  if (generation !== drawn) return;
  if (form) form.elements.count.value = active.length ? kinds.map((state, index) => `${kindTitle(state.kind)}: ${results[index]}`).join(" · ") : "";
  for (const state of kinds) {
    for (const header of state.table.tHead.rows[0].cells) {
      const sortedHere = state.sort?.key === header.dataset.key;
      if (sortedHere) header.setAttribute("aria-sort", state.sort.descending ? "descending" : "ascending");
      else header.removeAttribute("aria-sort");
    }
  }
  writeUrl(active);
}

// Column headers sort every instance of their kind: numbers start with the highest, text from A.
for (const state of kinds) {
  for (const header of state.table.tHead.rows[0].cells) {
    const label = header.querySelector(".label");
    const sort = document.createElement("button");
    sort.type = "button";
    sort.append(label);
    sort.addEventListener("click", () => {
      const again = state.sort?.key === header.dataset.key;
      state.sort = { key: header.dataset.key, descending: again ? !state.sort.descending : header.dataset.type === "number" };
      state.page = 1;
      void apply();
    });
    header.append(sort);
  }
}

if (form) {
  readUrl();
  // The kind filters start open on a wide screen, or when one of them is set; a phone shows the list first.
  const more = form.querySelector("details.more");
  if (more && (matchMedia("(min-width: 40rem)").matches || activeFilters().some((filter) => filter.kind))) more.open = true;
  form.hidden = false;
  form.addEventListener("input", () => {
    for (const state of kinds) state.page = 1;
    void apply();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  // A reader who reaches for the filters will need the indexes: start fetching them now.
  form.addEventListener("focusin", () => kinds.forEach((state) => load(state).catch(() => {})), { once: true });
  void apply().then(() => performance.mark("list-ready"));
}
