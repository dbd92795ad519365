// The Markdown that embeds a shields.io endpoint badge in a README, the image linking to the
// instance's page. One copy for both sides: the build writes the API page's example with it,
// and each instance page's snippet is made with it in the browser (badge-snippets.js).
export function badgeMarkdown(badgeUrl, pageUrl, alt) {
  const image = `https://img.shields.io/endpoint?url=${encodeURIComponent(badgeUrl)}`;
  return `[![${alt.replace(/[[\]\\]/g, "")}](${image})](${pageUrl.replace(/[()\s]/g, encodeURIComponent)})`;
}
