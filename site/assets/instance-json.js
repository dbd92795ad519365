// The instance's own JSON file, fetched once however many parts of its page ask for it
// (the raw values, a Mastodon server's long description): the page links it as a.json-link.
let pending = null;

/** The entry in the page's JSON file; rejects with the reason when it cannot be read. */
export function instanceEntry() {
  const url = document.querySelector("a.json-link")?.href;
  if (!url) return Promise.reject(new Error("the page links no JSON file"));
  pending ??= fetch(url).then((response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  });
  // A failed fetch is not kept, so that opening the part again tries again.
  return pending.catch((error) => {
    pending = null;
    throw error;
  });
}
