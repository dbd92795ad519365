// Everything an instance page draws or fills in the browser, from figures the page or its JSON
// file already holds: one script for 10,000 pages, which say the same in words without it.
import "./history-chart.js";
import "./activity-chart.js";
import "./badge-snippets.js";
import "./extended-description.js";
import "./raw-values.js";
