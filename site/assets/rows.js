// The instance tables, written once for both places that draw them: the build (the first
// page of each kind on the home page and the static pages of the rest, complete without
// JavaScript) and the browser (any page of a filtered or sorted view, from the compact
// index in /assets/list-<kind>.json). Rows are plain objects made by site/_lib/list-index.js;
// every value in them is text from an instance and is escaped here.
//
// A kind without its own columns gets the generic ones (name and online).

/** Rows per page, on the home page, the static pages and the filtered views alike. */
export const PAGE_SIZE = 25;

const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (value) => String(value ?? "").replace(/[&<>"']/g, (c) => ENTITIES[c]);

/** Thousands separators that read the same in every browser and at build time, without a regular expression that backtracks on long runs of digits. */
export const formatNumber = (value) => Math.round(value).toLocaleString("en-US");

const none = '<span class="none">–</span>';
const small = (text, className = "sub") => (text ? `<small class="${className}">${text}</small>` : "");
const isHttp = (url) => typeof url === "string" && /^https?:\/\//i.test(url);
const hostOf = (url) => url.replace(/^https?:\/\//i, "").replace(/\/$/, "");
const link = (url, text) => (isHttp(url) ? `<a href="${escapeHtml(url)}" rel="nofollow">${escapeHtml(text)}</a>` : escapeHtml(text));
const percent = (value) => (value === null || value === undefined ? none : `${value}%`);

/** The row's state: 2 answering, 1 answering with old values (stale), 0 offline. */
function onlineCell(row) {
  if (row.o === 2) return '<span class="yes">online</span>';
  if (row.o === 1) return `<span class="yes">online</span>${small("values are old", "sub warn")}`;
  return `<span class="no">offline</span>${small(escapeHtml(row.r))}`;
}

function nameCell(row, context) {
  const page = `${context.base}instances/${escapeHtml(context.kind)}/${escapeHtml(row.s)}/`;
  return `<a href="${page}">${escapeHtml(row.n)}</a>${small(escapeHtml(row.h))}`;
}

/** How many of the tested services work, and which do not (line two, cut to the cell). */
function servicesCell(row, context) {
  if (row.o === 0) return `${none}${small("not tested: offline")}`;
  const tested = [], failing = [];
  [...row.sv].forEach((mark, index) => {
    if (mark === "p" || mark === "f") tested.push(mark);
    if (mark === "f") failing.push(context.labels[index]);
  });
  if (!tested.length) return `${none}${small("none tested")}`;
  const passed = tested.length - failing.length;
  const line = passed === tested.length ? `all ${tested.length}` : `${passed} of ${tested.length}`;
  return `${line}${small(failing.length ? `not ${escapeHtml(failing.join(", "))}` : "")}`;
}

const passCount = (row) => (row.o === 0 ? -1 : [...row.sv].filter((mark) => mark === "p").length);
const uptime = (index) => (row) => row.u?.[index] ?? -1;
const uptimeColumns = [
  { key: "up24", label: "Up 24 h", title: "Share of checks up over the last 24 hours", number: true, value: uptime(0), cell: (row) => percent(row.u?.[0]) },
  { key: "up30", label: "Up 30 d", title: "Share of checks up over the last 30 days", number: true, value: uptime(1), cell: (row) => percent(row.u?.[1]) },
];
const DAY_MS = 86_400_000;

/**
 * How long the list has watched an instance: from the history's first sighting to its latest
 * check, in whole days (not from the instance's own start time, which a restart resets); null
 * without history.
 */
export function monitoredDays(entry) {
  const days = Math.floor((Date.parse(entry.checked_at) - Date.parse(entry.history?.first_seen)) / DAY_MS);
  return Number.isFinite(days) ? Math.max(0, days) : null;
}

/** "3 days", "under a day": how long the list has watched an instance. */
export const monitoredFor = (days) => (days >= 1 ? `${formatNumber(days)} day${days === 1 ? "" : "s"}` : "under a day");
const listedColumn = {
  key: "listed", label: "Listed since", title: "When this list first checked the instance, and for how long it has watched it", number: true,
  value: (row) => row.lm ?? -1, cell: (row) => (row.ls ? `${row.ls}${small(monitoredFor(row.lm))}` : none),
};
const nameColumn = { key: "name", label: "Name", value: (row) => row.n, cell: nameCell };
const onlineColumn = { key: "online", label: "Online", number: true, value: (row) => row.o, cell: onlineCell };
const SIGNUPS = { 2: '<span class="yes">open</span>', 1: `<span class="yes">open</span>${small("with approval")}`, 0: "closed" };

/** Per kind: the columns in order; `value` is what sorting compares (numbers start highest). */
export const COLUMNS = {
  cobalt: [
    nameColumn,
    onlineColumn,
    { key: "score", label: "Score", number: true, value: (row) => row.c ?? -1, cell: (row) => (row.c === null ? none : `${Math.round(row.c)}%`) },
    { key: "services", label: "Services", number: true, value: passCount, cell: servicesCell },
    { key: "web", label: "Web app", value: (row) => (row.w ? hostOf(row.w) : ""), cell: (row) => (row.w ? link(row.w, row.f ?? hostOf(row.w)) : row.f ? escapeHtml(row.f) : '<span class="none">API only</span>') },
    { key: "trust", label: "Trust", value: (row) => ({ safe: 0, unknown: 1, not_safe: 2 })[row.t] ?? 1, cell: (row) => `<span class="trust-${escapeHtml(row.t)}">${escapeHtml(String(row.t).replace(/_/g, " "))}</span>` },
    { key: "protection", label: "Protection", value: (row) => row.p, cell: (row) => (row.p ? escapeHtml(row.p) : "open") },
    { key: "version", label: "Version", value: (row) => row.v, cell: (row) => (row.v ? escapeHtml(row.v) : none) },
    ...uptimeColumns,
    listedColumn,
  ],
  mastodon: [
    nameColumn,
    onlineColumn,
    { key: "users", label: "Active users", number: true, value: (row) => row.a ?? -1, cell: (row) => (row.a === null ? none : formatNumber(row.a)) },
    { key: "signups", label: "Sign-ups", number: true, value: (row) => row.g, cell: (row) => SIGNUPS[row.g] ?? none },
    { key: "software", label: "Software", value: (row) => row.v, cell: (row) => (row.v ? escapeHtml(row.v) : none) },
    { key: "languages", label: "Languages", value: (row) => row.l.join(" "), cell: (row) => (row.l.length ? escapeHtml(row.l.join(", ")) : none) },
    ...uptimeColumns,
    listedColumn,
  ],
  generic: [nameColumn, onlineColumn],
};

export const columnsOf = (kind) => COLUMNS[kind] ?? COLUMNS.generic;

/** What a reader calls the instances of a kind. */
export const KIND_TITLES = { cobalt: "cobalt instances", mastodon: "Mastodon servers" };
export const kindTitle = (kind) => KIND_TITLES[kind] ?? `${kind} instances`;

/** The header row; the browser turns each label into a sort button. */
export function headHtml(kind) {
  return `<tr>${columnsOf(kind).map((column) => `<th scope="col" data-key="${column.key}"${column.number ? ' data-type="number"' : ""}${column.title ? ` title="${column.title}"` : ""}><span class="label">${column.label}</span></th>`).join("")}</tr>`;
}

/** One row. `context`: { kind, base (the site's root path), labels (the service names as written) }. */
export function rowHtml(row, context) {
  const [first, ...rest] = columnsOf(context.kind);
  const state = row.o === 0 ? ' class="offline"' : row.o === 1 ? ' class="stale"' : "";
  return `<tr${state}><th scope="row">${first.cell(row, context)}</th>${rest.map((column) => `<td>${column.cell(row, context)}</td>`).join("")}</tr>`;
}

export const rowsHtml = (rows, context) => rows.map((row) => rowHtml(row, context)).join("\n");
