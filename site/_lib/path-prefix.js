// Templates link from the site root ("/api/"); a fork served under /repo/ needs its prefix
// in front. Instance text is escaped (a quote becomes &quot;), so an attribute value that
// starts with "/ can only come from a template. A regular expression, not an HTML parser:
// at 10,000 instance pages that is seconds of build time.
export function withPathPrefix(html, pathPrefix) {
  return pathPrefix === "/" ? html : html.replace(/(\s(?:href|src|action)=")\/(?!\/)/g, `$1${pathPrefix}`);
}
