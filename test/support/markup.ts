// Reading built pages as a browser would, to prove that no instance's text became markup.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";

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

/** A start tag's attributes, read in order as a browser reads them. */
export function attributesOf(tag: string): [string, string][] {
  const pattern = /\s+([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/y;
  pattern.lastIndex = tag.search(/[\s>]/);
  const attributes: [string, string][] = [];
  for (let match = pattern.exec(tag); match; match = pattern.exec(tag)) attributes.push([match[1]!.toLowerCase(), match[2] ?? match[3] ?? match[4] ?? ""]);
  return attributes;
}

/** The values of every href, src and action attribute (still HTML-escaped). */
export const linkTargets = (html: string): string[] =>
  startTags(html).flatMap((tag) => attributesOf(tag).filter(([name]) => ["href", "src", "action", "formaction"].includes(name)).map(([, value]) => value));

/**
 * What in a page could run: an event-handler attribute, a script that is not one of the
 * site's own (those have only a type and a src), a javascript: link. Empty when none.
 */
export function liveMarkup(html: string): string[] {
  const problems: string[] = [];
  for (const tag of startTags(html)) {
    const bare = withoutValues(tag);
    if (/\son[a-z]+\s*=/i.test(bare)) problems.push(`an event handler attribute in ${tag.slice(0, 200)}`);
    if (/^<script/i.test(bare) && bare !== '<script type="" src="">') problems.push(`a script that is not the site's own: ${tag.slice(0, 200)}`);
  }
  for (const target of linkTargets(html)) if (/^\s*javascript:/i.test(target)) problems.push(`a javascript: link ${target.slice(0, 200)}`);
  return problems;
}
