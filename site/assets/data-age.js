// The data's age when the page is read, not when it was built: every <time data-age> gets
// "(3 hours ago)" after it, and the out-of-date warning shows once the data is older than
// its data-stale-after minutes. Without JavaScript the dates and the warning as built stay.
const relative = new Intl.RelativeTimeFormat("en", { numeric: "always" });
const UNITS = [["day", 86_400_000], ["hour", 3_600_000], ["minute", 60_000]];

function ago(ms) {
  if (ms < 60_000) return "less than a minute ago";
  const [unit, size] = UNITS.find(([, size]) => ms >= size);
  return relative.format(-Math.floor(ms / size), unit);
}

function update() {
  const now = Date.now();
  for (const time of document.querySelectorAll("time[data-age]")) {
    const at = Date.parse(time.dateTime);
    if (!Number.isFinite(at)) continue;
    let age = time.nextElementSibling?.matches(".age") ? time.nextElementSibling : null;
    if (!age) {
      age = Object.assign(document.createElement("span"), { className: "age" });
      time.after(age);
    }
    age.textContent = ` (${ago(Math.max(0, now - at))})`;
  }
  for (const warning of document.querySelectorAll("[data-stale-after]")) {
    const at = Date.parse(warning.querySelector("time")?.dateTime ?? "");
    warning.hidden = !(Number.isFinite(at) && now - at > Number(warning.dataset.staleAfter) * 60_000);
  }
}

update();
setInterval(update, 60_000);
