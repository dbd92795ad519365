// The slug of an instance: the last part of its page, JSON and badge URLs. It comes from the
// host (and port) it is listed under alone, so reordering or editing the list never moves
// another instance's URLs. The list refuses two entries of one kind on one host and port
// (scripts/lib/list.ts), which is what makes a slug unique within its kind.
import { createHash } from "node:crypto";
import { trimCharacters } from "./normalise.ts";

/** Longest readable part of a slug; with the hash suffix a slug stays far below a file name's limit. */
const READABLE_LENGTH = 80;

/**
 * `https://api.example.com` → `api.example.com`, `http://127.0.0.1:8443` → `127.0.0.1-8443`.
 * Where that readable form could stand for two URLs (a host with characters outside
 * [a-z0-9.-], one ending in `-<digits>` like a port, a form ending in `.json` that would
 * collide with another instance's JSON file, or one cut to length) it is followed by `_`
 * and a hash of the host: `_` never appears in a readable slug, so the two forms cannot meet.
 */
export function instanceSlug(listedUrl: string): string {
  const { hostname, port } = new URL(listedUrl);
  const host = hostname.toLowerCase().replace(/\.$/, "");
  const readable = port ? `${host}-${port}` : host;
  const plain = /^[a-z0-9.-]+$/.test(host)
    && !/-[0-9]+$/.test(host)
    && !readable.endsWith(".json")
    && trimCharacters(readable, ".-") === readable
    && readable.length <= READABLE_LENGTH;
  if (plain) return readable;
  const hash = createHash("sha256").update(port ? `${host}:${port}` : host).digest("hex").slice(0, 12);
  const shown = trimCharacters(trimCharacters(readable.replace(/[^a-z0-9.]+/g, "-"), ".-").slice(0, READABLE_LENGTH), ".-");
  return `${shown || "instance"}_${hash}`;
}

/** The slug of a kind's name, for the folder its instances live in. */
export function kindSlug(kind: string): string {
  return trimCharacters(kind.toLowerCase().replace(/[^a-z0-9]+/g, "-"), "-") || "kind";
}
