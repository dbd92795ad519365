// /schemas/<name>.schema.json: the published JSON Schemas, `$id` made absolute when the site URL is known.
export const data = {
  pagination: { data: "schemas.published", size: 1, alias: "schema" },
  permalink: (data) => `/schemas/${data.schema.file}`,
  eleventyExcludeFromCollections: true,
};

export function render({ schema }) {
  return schema.text;
}
