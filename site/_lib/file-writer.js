// Writes many files under the output folder without holding them: a few dozen in flight,
// each folder made once. Used by the passes that write one file or more per instance.
import { mkdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/** Files written at once: enough to keep the file system's threads busy, few enough to bound memory. */
const IN_FLIGHT = 64;

export function fileWriter(output) {
  const made = new Set();
  const pending = new Set();
  let written = 0;
  return {
    /** Queues `text` for `path` (a site path such as "/instances/x.json"); resolves once there is room for more. */
    async write(path, text) {
      const file = join(output, path);
      const folder = dirname(file);
      if (!made.has(folder)) mkdirSync(folder, { recursive: true }), made.add(folder);
      const writing = writeFile(file, text).then(() => pending.delete(writing));
      pending.add(writing);
      written++;
      if (pending.size >= IN_FLIGHT) await Promise.race(pending);
    },
    /** Resolves to the number of files written, once all are on disk. */
    async done() {
      await Promise.all(pending);
      return written;
    },
  };
}
