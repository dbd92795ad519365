// Runs before `npm install` and every `npm run …` (package.json's pre* scripts): on a
// Node.js too old for the project it says so in one line, with the fix, and exits 1,
// instead of a stack trace from deep inside a TypeScript file. Old-fashioned JavaScript
// on purpose: it has to run on whatever Node.js the machine has.
"use strict";
var fs = require("fs");
var path = require("path");

var root = path.join(__dirname, "..");
var wanted = fs.readFileSync(path.join(root, ".nvmrc"), "utf8").trim();
var minimum = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).engines.node.replace(/^>=\s*/, "");

function parts(version) {
  return version.replace(/^v/, "").split(".").map(function (part) { return parseInt(part, 10) || 0; });
}

function atLeast(found, needed) {
  for (var i = 0; i < needed.length; i++) {
    var have = found[i] || 0;
    if (have !== needed[i]) return have > needed[i];
  }
  return true;
}

if (!atLeast(parts(process.versions.node), parts(minimum))) {
  console.error(
    "This project needs Node.js " + wanted + " (.nvmrc; " + minimum + " or later works) and found Node.js " + process.version +
    ": run `nvm use`, or `npm install --prefix .tools node@" + wanted + "` and put .tools/node_modules/.bin first on PATH" +
    " (export PATH=\"$PWD/.tools/node_modules/.bin:$PATH\"), then run the command again."
  );
  process.exit(1);
}
