// Everything a script sends to the Actions runner: the log, annotations, step outputs and
// the job summary. The runner obeys a log line that starts with `::` (or the older `##[`),
// so text from instances, lists or errors must never start one; our own commands go out
// through `command()` alone. Only Node built-ins: the plan job runs before `npm ci`.
import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";

/** Where the runner ends a line (and a few more, to be safe). */
const LINE_BREAK = /[\n\r\v\f\x85\u2028\u2029]/;
/** What the runner skips before looking for a command (whitespace, and here any control character too), at a line's start. */
const SKIPPED = /^[\s\x00-\x1f\x7f-\x9f]*/;
const COMMAND_START = /^[\s\x00-\x1f\x7f-\x9f]*(::|##\[)/;
/** A line so far that further text could still turn into a command. */
const UNDECIDED = /^[\s\x00-\x1f\x7f-\x9f]*(:|#|##)?$/;
/** Put before a would-be command: the line is printed, and the runner reads it as text. */
export const INERT_MARK = "> ";

/**
 * Escapes text for the log as it is written, piece by piece: a line that would start a
 * workflow command gets INERT_MARK before the command, even when the line arrives in
 * several writes.
 */
export class LineEscaper {
  /** The current line so far, while it could still become a command; null once it cannot. */
  #head: string | null = "";

  escape(text: string): string {
    let out = "";
    let rest = text;
    while (rest.length > 0) {
      const found = LINE_BREAK.exec(rest);
      const piece = found ? rest.slice(0, found.index) : rest;
      if (this.#head !== null) {
        const line = this.#head + piece;
        if (COMMAND_START.test(line)) {
          // The mark goes where the command's first character is: in this piece, or at its start.
          const at = /[:#]/.test(this.#head) ? 0 : piece.length - piece.replace(SKIPPED, "").length;
          out += piece.slice(0, at) + INERT_MARK + piece.slice(at);
          this.#head = null;
        } else {
          out += piece;
          this.#head = UNDECIDED.test(line) ? line : null;
        }
      } else {
        out += piece;
      }
      if (!found) break;
      out += found[0];
      this.#head = "";
      rest = rest.slice(found.index + 1);
    }
    return out;
  }

  get atLineStart(): boolean {
    return this.#head === "";
  }
}

/** Text made inert for the log in one piece (a whole message). */
export function inert(text: string): string {
  return new LineEscaper().escape(text);
}

const escapers = new Map<NodeJS.WriteStream, LineEscaper>();
let emitting = false;

/**
 * From now on, everything written to stdout and stderr (console.log, stack traces, a
 * library's messages) is escaped line by line; only `command()` writes a real command.
 * Every script calls this first.
 */
export function guardOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (escapers.has(stream)) continue;
    const escaper = new LineEscaper();
    escapers.set(stream, escaper);
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (emitting) return write(chunk, ...rest);
      const text = typeof chunk === "string" ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString("utf8") : String(chunk);
      const options = typeof rest[0] === "string" ? rest.slice(1) : rest; // the text is re-encoded as UTF-8
      return write(escaper.escape(text), ...options);
    }) as typeof stream.write;
  }
}

/** Writes one workflow command of our own, on a line of its own. */
function command(line: string): void {
  const escaper = escapers.get(process.stdout);
  emitting = true;
  try {
    process.stdout.write(`${escaper && !escaper.atLineStart ? "\n" : ""}${line}\n`);
  } finally {
    emitting = false;
  }
  escaper?.escape("\n");
}

/** The runner's escaping of a command's message (as @actions/core does it), with other controls as spaces. */
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]/g, " ");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

export type AnnotationLevel = "error" | "warning" | "notice";

/** An annotation in Actions; elsewhere the same message, prefixed with its level, on stderr. */
export function annotate(level: AnnotationLevel, message: string, properties: AnnotationProperties = {}): void {
  if (process.env.GITHUB_ACTIONS !== "true") {
    console.error(`${level}: ${message}`);
    return;
  }
  const names: [keyof AnnotationProperties, string][] = [["file", "file"], ["startLine", "line"], ["startColumn", "col"], ["title", "title"]];
  const fields = names.filter(([key]) => properties[key] !== undefined).map(([key, name]) => `${name}=${escapeProperty(String(properties[key]))}`);
  command(`::${level}${fields.length ? ` ${fields.join(",")}` : ""}::${escapeData(message)}`);
}

/** Ends a script as failed: an error annotation in Actions (`error: …` elsewhere), exit code 1. */
export function fail(message: string, properties: AnnotationProperties = {}): void {
  annotate("error", message, properties);
  process.exitCode = 1;
}

/**
 * Sets a step output. A value on one line is written as `name=value`; anything else in a
 * block whose random delimiter the value cannot contain, so a value never sets another output.
 */
export function setOutput(name: string, value: string, file = process.env.GITHUB_OUTPUT): void {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new Error(`"${name}" is not a step output name`);
  if (!file) return;
  if (!/[\r\n]/.test(value)) return appendFileSync(file, `${name}=${value}\n`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

/**
 * Text for the job summary (Markdown with HTML): on one line, with HTML and Markdown
 * markup as character references, so a value can neither end the table it is in nor add
 * a heading, a link, an image or a mention.
 */
export function summaryText(text: string): string {
  return text
    .replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]+/g, " ")
    .replace(/[&<>"'`*_[\]()|\\~#!@]/g, (c) => `&#${c.charCodeAt(0)};`);
}
