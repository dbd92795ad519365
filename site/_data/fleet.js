// The fleet for the site: service health over time, "broken everywhere", versions and
// each instance's feed, from the history store beside the instances file (or HISTORY_DIR).
import instances from "./instances.js";
import { dataPaths } from "../_lib/settings.js";
import { historyDir, recentHistory } from "../_lib/history.js";
import { fleetData } from "../_lib/fleet.js";
import { readEvents } from "../_lib/probe-code.js";

/** Events read for the per-instance feeds: enough for every instance's latest few. */
const EVENTS_READ = 20_000;

export default function () {
  const { instancesFile } = dataPaths();
  const { entries, pages, services, lastChecked, repeated } = instances();
  const dir = historyDir(instancesFile);
  const now = lastChecked ? new Date(lastChecked) : new Date();
  return fleetData({ series: recentHistory({ dir, now, pages, repeated }).services, now, services, entries, pages, events: readEvents(dir, EVENTS_READ), repeated });
}
