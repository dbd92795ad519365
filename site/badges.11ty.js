// /badges/<kind>/<slug>/uptime.json and score.json: shields.io endpoint badges.
export const data = {
  pagination: { data: "history.badges", size: 1, alias: "badge" },
  permalink: (data) => data.badge.path,
  eleventyExcludeFromCollections: true,
};

export function render({ badge }) {
  return `${JSON.stringify(badge.json)}\n`;
}
