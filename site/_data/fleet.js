// The fleet for the site: service health over time, "broken everywhere" and versions, from
// the history store beside the instances file (or HISTORY_DIR).
import instances from "./instances.js";
import { dataPaths } from "../_lib/settings.js";
import { historyDir, recentHistory } from "../_lib/history.js";
import { fleetData } from "../_lib/fleet.js";

export default function () {
  const { instancesFile } = dataPaths();
  const { entries, pages, services, lastChecked, repeated } = instances();
  const dir = historyDir(instancesFile);
  const now = lastChecked ? new Date(lastChecked) : new Date();
  return fleetData({ series: recentHistory({ dir, now, pages, repeated }).services, now, services, entries, pages });
}
