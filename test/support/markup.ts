// Reading built pages as a browser would, to prove that no instance's text became markup.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { Parser } from "htmlparser2";

/** Every file under a folder, as paths relative to it. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/** The start tags of an HTML document (escaped text holds no "<", so none comes from text). */
export const startTags = (html: string): string[] => [...html.matchAll(/<[a-zA-Z][^>]*>/g)].map((match) => match[0]);

/** A start tag with its quoted attribute values emptied: what is left are names and markup. */
export const withoutValues = (tag: string): string => tag.replace(/"[^"]*"|'[^']*'/g, '""');

/** Attributes that a browser follows or loads as a URL. */
const URL_ATTRIBUTES = new Set(["href", "src", "action", "formaction", "xlink:href", "poster", "srcset"]);

/** The values of every URL attribute, read by an HTML parser: character references decoded, as a browser follows them. */
export function linkTargets(html: string): string[] {
  const targets: string[] = [];
  const parser = new Parser({
    onopentag(_name, attributes) {
      for (const [name, value] of Object.entries(attributes)) if (URL_ATTRIBUTES.has(name)) targets.push(value);
    },
  }, { decodeEntities: true, lowerCaseAttributeNames: true });
  parser.end(html);
  return targets;
}

/** Schemes a link of the site may use; any other (javascript:, data:, vbscript:…) could run or smuggle a page. */
const SAFE_SCHEMES = new Set(["http:", "https:", "mailto:"]);

/** A link's scheme as a browser reads it (spaces and control characters around it and tabs or newlines in it ignored). */
const schemeOf = (target: string): string => new URL(target, "https://site.invalid/").protocol;

/**
 * What in a page could run: an event-handler attribute, a script that is not one of the
 * site's own (those have only a type and a src), a link whose scheme is not http(s) or
 * mailto (javascript:, however its characters are written). Empty when none.
 */
export function liveMarkup(html: string): string[] {
  const problems: string[] = [];
  for (const tag of startTags(html)) {
    const bare = withoutValues(tag);
    if (/\son[a-z]+\s*=/i.test(bare)) problems.push(`an event handler attribute in ${tag.slice(0, 200)}`);
    if (/^<script/i.test(bare) && bare !== '<script type="" src="">') problems.push(`a script that is not the site's own: ${tag.slice(0, 200)}`);
  }
  for (const target of linkTargets(html)) {
    if (!URL.canParse(target, "https://site.invalid/")) continue; // a browser follows nowhere
    if (!SAFE_SCHEMES.has(schemeOf(target))) problems.push(`a ${schemeOf(target)} link ${target.slice(0, 200)}`);
  }
  return problems;
}
