// The fleet for the site: service health over time, "broken everywhere" and versions, from
// the history store beside the instances file (or HISTORY_DIR).
import instances from "./instances.js";
import { dataPaths } from "../_lib/settings.js";
import { historyDir, recentHistory } from "../_lib/history.js";
import { fleetData } from "../_lib/fleet.js";

// Made once per version of the instances data: the instance pages' own pass reads it too.
let cached = { from: null, value: null };

export default function () {
  const { instancesFile } = dataPaths();
  const data = instances();
  const { entries, pages, services, lastChecked, repeated } = data;
  if (cached.from === data) return cached.value;
  const dir = historyDir(instancesFile);
  const now = lastChecked ? new Date(lastChecked) : new Date();
  // Frozen: Eleventy deep-copies a plain data object for every paginated template, but shares a frozen one.
  cached = { from: data, value: Object.freeze(fleetData({ series: recentHistory({ dir, now, pages, repeated }).services, now, services, entries, pages })) };
  return cached.value;
}
