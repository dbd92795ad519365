// HTML an instance sent, read in linear time with htmlparser2's tokenizer: a state machine,
// so no regular expression runs on the markup. Its Parser is not used: it keeps open elements
// in an array it shifts at every tag, so 40,000 nested <b> tags cost seconds. Nothing here
// needs a tree; tags, attributes and text in document order are enough.
import { Tokenizer } from "htmlparser2";
import { capWithEllipsis, inertText } from "./normalise.ts";

interface TokenHandlers {
  /** A start tag with its name lower-cased and its attributes (names lower-cased, entities decoded). */
  openTag?(name: string, attributes: Record<string, string>): void;
  closeTag?(name: string): void;
  /** Text, entities decoded, in document order (script and style content included). */
  text?(data: string): void;
}

/** Reads `html` once, start to end, calling `handlers` for what it meets. */
function scanHtml(html: string, handlers: TokenHandlers): void {
  let tagName = "";
  let attributes: Record<string, string> = {};
  let attributeName = "";
  let attributeValue = "";
  const openTag = () => handlers.openTag?.(tagName, attributes);
  const tokenizer = new Tokenizer({ decodeEntities: true }, {
    ontext: (start, end) => handlers.text?.(html.slice(start, end)),
    ontextentity: (codepoint) => handlers.text?.(String.fromCodePoint(codepoint)),
    onopentagname(start, end) {
      tagName = html.slice(start, end).toLowerCase();
      attributes = {};
    },
    onattribname(start, end) {
      attributeName = html.slice(start, end).toLowerCase();
      attributeValue = "";
    },
    onattribdata(start, end) {
      attributeValue += html.slice(start, end);
    },
    onattribentity(codepoint) {
      attributeValue += String.fromCodePoint(codepoint);
    },
    onattribend() {
      // As in browsers, the first of two attributes with one name wins.
      if (!Object.hasOwn(attributes, attributeName)) attributes[attributeName] = attributeValue;
    },
    onopentagend: openTag,
    // In HTML a "/>" ends a start tag like ">" does.
    onselfclosingtag: openTag,
    onclosetag: (start, end) => handlers.closeTag?.(html.slice(start, end).toLowerCase()),
    oncdata() {},
    oncomment() {},
    ondeclaration() {},
    onprocessinginstruction() {},
    onend() {},
  });
  tokenizer.write(html);
  tokenizer.end();
}

/** Elements that start and end a paragraph in the plain text. */
const BLOCKS = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre", "div", "tr"]);
/** Elements whose content is never text a reader sees. */
const HIDDEN = new Set(["script", "style", "template", "noscript"]);

/**
 * HTML from an instance as plain text: every tag goes, entities are decoded, runs of white
 * space (control characters included) become one space, `<br>` a line break and a block a
 * paragraph of its own; capped at `max` code units with "…" at the cut. Null when it is not a
 * string or nothing is left. Only the first `maxSource` code units of the source are read.
 */
export function htmlToText(html: unknown, max: number, maxSource = 64 * max): string | null {
  if (typeof html !== "string") return null;
  const out = new TextBuilder(max);
  let hidden = 0;
  // The source cap bounds the work; what it cuts would be beyond the text's own cap anyway.
  scanHtml(html.length > maxSource ? html.slice(0, maxSource) : html, {
    openTag(name) {
      if (HIDDEN.has(name)) hidden++;
      else if (hidden > 0) return;
      else if (name === "br") out.lineBreaks(1);
      // A block's start ends the paragraph before it too: HTML lets "<p>a<p>b" leave out the end tag.
      else if (BLOCKS.has(name)) out.lineBreaks(2);
    },
    closeTag(name) {
      if (HIDDEN.has(name)) hidden = Math.max(0, hidden - 1);
      else if (BLOCKS.has(name) && hidden === 0) out.lineBreaks(2);
    },
    text(data) {
      if (hidden === 0) out.add(data);
    },
  });
  const result = out.toString();
  return result === "" ? null : capWithEllipsis(result, max);
}

/**
 * Builds text one piece at a time, collapsing white space as it goes (one pass, no regular
 * expression), and stops keeping text a little past the cap, so a huge page costs its parse only.
 */
class TextBuilder {
  #parts: string[] = [];
  #length = 0;
  #pendingSpace = false;
  #pendingBreaks = 0;
  readonly #keep: number;

  constructor(max: number) {
    // NFC can shorten what is kept; some slack keeps the cap exact after it.
    this.#keep = max * 2 + 16;
  }

  lineBreaks(count: number): void {
    if (this.#length > 0) this.#pendingBreaks = Math.min(2, this.#pendingBreaks + count);
  }

  add(data: string): void {
    if (this.#length >= this.#keep) return;
    const clean = inertText(data);
    let word = "";
    for (let index = 0; index < clean.length && this.#length + word.length < this.#keep; index++) {
      const char = clean[index]!;
      if (char === " " || char === "\u00a0" || char === "\t" || char === "\u3000" || char === "\ufeff") {
        if (word) this.#push(word), word = "";
        if (this.#length > 0) this.#pendingSpace = true;
      } else {
        word += char;
      }
    }
    if (word) this.#push(word);
  }

  #push(word: string): void {
    if (this.#pendingBreaks > 0) this.#parts.push("\n".repeat(this.#pendingBreaks));
    else if (this.#pendingSpace) this.#parts.push(" ");
    this.#pendingBreaks = 0;
    this.#pendingSpace = false;
    this.#parts.push(word);
    this.#length += word.length + 1;
  }

  toString(): string {
    return this.#parts.join("").normalize("NFC");
  }
}

/** What a web app's page says about itself: its `application-name` and its `<title>`. */
export interface PageIdentity {
  applicationName: string | null;
  title: string | null;
}

/** The first `<meta name="application-name">` content and the first `<title>` of a page. */
export function pageIdentity(html: string): PageIdentity {
  const identity: PageIdentity = { applicationName: null, title: null };
  let inTitle = false;
  let title = "";
  scanHtml(html, {
    openTag(name, attributes) {
      if (name === "meta" && identity.applicationName === null && attributes.name?.trim().toLowerCase() === "application-name") {
        identity.applicationName = inertText(attributes.content ?? "").trim().slice(0, 300);
      }
      if (name === "title" && identity.title === null) inTitle = true;
    },
    text(data) {
      if (inTitle && title.length < 300) title += data;
    },
    closeTag(name) {
      if (name === "title" && inTitle) {
        inTitle = false;
        identity.title = inertText(title).trim().slice(0, 300);
      }
    },
  });
  // A title the page never closed still names it, as it does in a browser's tab.
  if (inTitle && identity.title === null) identity.title = inertText(title).trim().slice(0, 300) || null;
  return identity;
}
