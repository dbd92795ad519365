// A Mastodon server's long description, read from the instance's JSON file when the reader
// opens it: up to 20,000 characters a server, which 10,000 pages need not each carry. Without
// JavaScript the section links the server's own about page. Set as text, never as markup.
import { instanceEntry } from "./instance-json.js";

async function fill(details) {
  if (details.dataset.filled) return;
  details.dataset.filled = "yes";
  const fallback = details.querySelector(".from-json");
  try {
    const { extended_description: text } = await instanceEntry();
    if (typeof text !== "string") throw new Error("the JSON file has no description");
    const paragraphs = text.split("\n\n").map((paragraph) => {
      const element = document.createElement("p");
      paragraph.split("\n").forEach((line, index) => element.append(...(index ? [document.createElement("br"), line] : [line])));
      return element;
    });
    fallback.replaceWith(...paragraphs);
  } catch (error) {
    delete details.dataset.filled;
    // One note however often the reader retries.
    const note = fallback.querySelector(".load-error") ?? fallback.appendChild(Object.assign(document.createElement("span"), { className: "load-error" }));
    note.textContent = ` (It could not be loaded here: ${error.message}.)`;
  }
}

for (const details of document.querySelectorAll("details.extended-description")) {
  details.addEventListener("toggle", () => details.open && fill(details));
}
