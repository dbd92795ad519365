// /go/<service>/: sends the reader to one of the working cobalt web apps listed on the page,
// picked at random by weight, with the link they pasted after `#` carried over. Without
// this script the page is the list of those web apps.
import { choose, destination } from "./go-choice.js";

const links = [...document.querySelectorAll("#go-choices a[data-weight]")];
const candidates = links.map((link) => ({ link, url: link.dataset.url, weight: Number(link.dataset.weight) }));
const pasted = location.hash;
for (const candidate of candidates) candidate.link.href = destination(candidate.url, pasted);

const chosen = choose(candidates);
const status = document.getElementById("go-status");
if (chosen && status) {
  status.textContent = `Opening ${chosen.link.textContent}…`;
  status.hidden = false;
  location.replace(chosen.link.href);
}
