// Every kind of instance the list supports. A new kind is one module here and one schema file.
import type { KindProbe } from "../lib/probe-kind.ts";
import { cobalt } from "./cobalt.ts";
import { mastodon } from "./mastodon.ts";

export const KINDS: Record<string, KindProbe<any, any>> = {
  [cobalt.kind]: cobalt,
  [mastodon.kind]: mastodon,
};
