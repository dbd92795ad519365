// Draws an instance page's 90-day uptime bar and 7-day response-time sparkline from the
// figures the page carries as text (see site/_lib/history.js for the format), so that 10,000
// pages need not each hold two inline SVGs. Without JavaScript the captions say the same in words.
import { svgElement } from "./svg-element.js";

const DAY_MS = 86_400_000;
/** Uptime levels, best first: the class a day's cell gets, and the legend's words. */
const LEVELS = [[99, "up99", "99% or more"], [95, "up95", "95–99%"], [80, "up80", "80–95%"], [0, "up0", "below 80%"]];

/** "23" 23 checks up of the day's usual number, "20/23" 20 of 23, "-" none made (site/_lib/history.js writes them). */
function parseCell(text, usual) {
  if (text === "-") return null;
  const [online, checks = usual] = text.split("/").map(Number);
  return Number.isFinite(online) && Number.isFinite(checks) && checks > 0 ? { online, checks } : null;
}

function drawUptimeBar(figure) {
  const first = Date.parse(`${figure.dataset.first}T00:00:00Z`);
  const usual = Number(figure.dataset.checks);
  const cells = figure.dataset.cells.split(" ").map((text) => parseCell(text, usual));
  if (!Number.isFinite(first) || !cells.length) return;
  const width = 4, gap = 1, height = 24;
  const total = cells.length * (width + gap) - gap;
  const svg = svgElement("svg", { class: "uptime-bar", viewBox: `0 0 ${total} ${height}`, width: total, height, "aria-hidden": "true", focusable: "false" });
  cells.forEach((cell, index) => {
    const day = new Date(first + index * DAY_MS).toISOString().slice(0, 10);
    const uptime = cell && Math.round((10000 * cell.online) / cell.checks) / 100;
    const level = cell ? LEVELS.find(([floor]) => uptime >= floor)[1] : "nocheck";
    const rect = svgElement("rect", { x: index * (width + gap), y: 0, width, height, class: level });
    const title = svgElement("title");
    title.textContent = cell ? `${day}: ${uptime}% of ${cell.checks} check${cell.checks === 1 ? "" : "s"}` : `${day}: no check made`;
    rect.append(title);
    svg.append(rect);
  });
  const legend = document.createElement("p");
  legend.className = "legend";
  legend.setAttribute("aria-hidden", "true");
  for (const [, level, words] of [...LEVELS, [null, "nocheck", "no check"]]) {
    const swatch = document.createElement("span");
    swatch.className = `swatch ${level}`;
    legend.append(swatch, ` ${words} `);
  }
  legend.prepend("One bar a day, oldest on the left: ");
  figure.prepend(svg, legend);
}

/** One character per hourly slot, a response-time level (2^(level/4) ms), "." for none: the alphabet of site/_lib/history.js. */
const SLOT_LEVELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function drawSparkline(figure) {
  const slots = [...figure.dataset.slots].map((char) => {
    const level = SLOT_LEVELS.indexOf(char);
    return level < 0 ? null : Math.round(2 ** (level / 4));
  });
  const points = slots.flatMap((ms, slot) => (Number.isFinite(ms) && ms !== null ? [{ slot, ms }] : []));
  if (points.length < 2) return;
  const width = 240, height = 40;
  const max = Math.max(...points.map((point) => point.ms));
  const span = Math.max(1, slots.length - 1);
  const coordinates = points.map(({ slot, ms }) => `${((slot / span) * width).toFixed(1)},${(height - 2 - (ms / max) * (height - 4)).toFixed(1)}`);
  const svg = svgElement("svg", { class: "sparkline", viewBox: `0 0 ${width} ${height}`, width, height, "aria-hidden": "true", focusable: "false" });
  svg.append(svgElement("polyline", { fill: "none", stroke: "currentColor", "stroke-width": 1.5, points: coordinates.join(" ") }));
  figure.prepend(svg);
}

for (const figure of document.querySelectorAll("figure.uptime-bar[data-cells]")) drawUptimeBar(figure);
for (const figure of document.querySelectorAll("figure.sparkline[data-slots]")) drawSparkline(figure);
