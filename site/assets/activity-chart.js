// A Mastodon server page's posts per week as bars, drawn from the page's own activity table
// (the figures are written once, in the table; the chart's caption says it in words).
import { svgElement } from "./svg-element.js";

const BAR = 12, GAP = 3, HEIGHT = 60;

for (const figure of document.querySelectorAll("figure.activity")) {
  const table = figure.nextElementSibling;
  if (!table?.matches("table.activity")) continue;
  const weeks = [...table.tBodies[0].rows].map((row) => ({ week: row.cells[0].textContent, posts: row.cells[1].textContent, count: Number(row.cells[1].textContent.replace(/\D/g, "")) }));
  const top = Math.max(0, ...weeks.map((week) => week.count));
  const width = weeks.length * (BAR + GAP);
  const svg = svgElement("svg", { viewBox: `0 0 ${width} ${HEIGHT}`, width, height: HEIGHT, role: "img", "aria-label": "Posts per week, oldest first" });
  weeks.forEach((week, index) => {
    const height = top > 0 ? Math.round((week.count / top) * (HEIGHT - 2) * 10) / 10 : 0;
    const bar = svgElement("rect", { x: index * (BAR + GAP), y: Math.round((HEIGHT - height) * 10) / 10, width: BAR, height, fill: "currentColor" });
    const title = svgElement("title");
    title.textContent = `Week of ${week.week}: ${week.posts} posts`;
    bar.append(title);
    svg.append(bar);
  });
  figure.prepend(svg);
}
