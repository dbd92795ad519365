// History for the site: per instance page its uptime bar, sparkline and badges; the
// latest change events for /feed.xml. Read from the store beside the instances file
// (data/history/, or HISTORY_DIR).
import instances from "./instances.js";
import { dataPaths, publication, readList } from "../_lib/settings.js";
import { historyData } from "../_lib/history.js";

export default function () {
  const { instancesFile, listFile } = dataPaths();
  const { pages, lastChecked, repeated } = instances();
  return historyData({ pages, lastChecked, instancesFile, siteUrl: publication(readList(listFile)).siteUrl, repeated });
}
