// Service keys as people write them (youtube_music → "YouTube Music"), for the site and the feeds.

/** How the services' owners write their names; others get a capital and spaces. */
const SERVICE_NAMES: Record<string, string> = {
  bilibili: "Bilibili", bluesky: "Bluesky", dailymotion: "Dailymotion", facebook: "Facebook", instagram: "Instagram",
  loom: "Loom", newgrounds: "Newgrounds", odnoklassniki: "Odnoklassniki", ok: "OK.ru", pinterest: "Pinterest",
  reddit: "Reddit", rutube: "Rutube", snapchat: "Snapchat", soundcloud: "SoundCloud", streamable: "Streamable",
  tiktok: "TikTok", tumblr: "Tumblr", twitch_clips: "Twitch clips", twitter: "Twitter", vimeo: "Vimeo", vk: "VK",
  xiaohongshu: "Xiaohongshu", youtube: "YouTube", youtube_music: "YouTube Music", youtube_shorts: "YouTube Shorts",
};

export function serviceLabel(name: unknown): string {
  const text = String(name);
  return Object.hasOwn(SERVICE_NAMES, text) ? SERVICE_NAMES[text]! : text.replace(/_/g, " ").replace(/^./, (letter) => letter.toUpperCase());
}
