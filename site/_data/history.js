// History for the site: per instance page its uptime bar, sparkline and badges; the
// latest change events for /feed.xml. Read from the store beside the instances file
// (data/history/, or HISTORY_DIR).
import instances from "./instances.js";
import { dataPaths } from "../_lib/settings.js";
import { historyData } from "../_lib/history.js";

// Made once per version of the instances data: the instance pages' own pass reads it too.
let cached = { from: null, value: null };

export default function () {
  const { instancesFile } = dataPaths();
  const data = instances();
  const { pages, lastChecked, repeated } = data;
  // Frozen: Eleventy deep-copies a plain data object for every paginated template, but shares a frozen one.
  if (cached.from !== data) cached = { from: data, value: Object.freeze(historyData({ pages, lastChecked, instancesFile, repeated })) };
  return cached.value;
}
