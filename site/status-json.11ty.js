// /status.json: when the data was checked and by which run, and the instances per kind
// that answered (schemas/status.schema.json), for clients that want to know whether the list is current.
export const data = { permalink: "/status.json", eleventyExcludeFromCollections: true };

export function render({ status }) {
  return `${JSON.stringify(status, null, 2)}\n`;
}
