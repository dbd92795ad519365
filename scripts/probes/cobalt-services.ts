// Which of a list's services a cobalt instance offers, by every name cobalt has announced
// for each across its releases. cobalt 10+ lists its services in `GET /`: by its own ids
// (`ok`, `bsky`, `twitch`) except where upstream's api/src/processing/service-alias.js gives
// a friendly name (`bluesky` since 10.0, `twitch clips` since 11.0.3, `twitch` before), while lists,
// following the original public list, name tests after what they test (`odnoklassniki`,
// `twitch_clips`, `youtube_shorts`).

/** A list's service name → the cobalt service id that downloads it, where the two differ. */
const LIST_NAME_IDS: Record<string, string> = {
  youtube_music: "youtube",
  youtube_shorts: "youtube",
  odnoklassniki: "ok",
  twitch_clips: "twitch",
  bluesky: "bsky",
};

/** cobalt service id → the friendly names releases have announced it by, besides the id itself. */
const ANNOUNCED_NAMES: Record<string, string[]> = {
  bsky: ["bluesky"],
  twitch: ["twitch clips"],
};

/** `Twitch Clips`, `twitch-clips` and `twitch_clips` are one name. */
function normalised(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, "_");
}

/** The cobalt service id behind a list's service name. */
export function cobaltServiceId(listName: string): string {
  return Object.hasOwn(LIST_NAME_IDS, listName) ? LIST_NAME_IDS[listName]! : listName;
}

/** Every name under which an instance may announce the service a list calls `listName`. */
export function announcedNames(listName: string): string[] {
  const id = cobaltServiceId(listName);
  const friendly = Object.hasOwn(ANNOUNCED_NAMES, id) ? ANNOUNCED_NAMES[id]! : [];
  return [...new Set([listName, id, ...friendly].map(normalised))];
}

/** Whether an instance announcing `announced` offers the service a list calls `listName`. */
export function offers(announced: readonly string[], listName: string): boolean {
  const names = new Set(announced.map(normalised));
  return announcedNames(listName).some((name) => names.has(name));
}
