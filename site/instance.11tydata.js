// The instance page's URL and title, as functions: at 10,000 pages, templated front matter
// costs seconds of the build.
export default {
  permalink: (data) => data.p.url,
  eleventyComputed: { title: (data) => data.p.entry.name ?? data.p.slug },
};
