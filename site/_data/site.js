// Site-wide metadata taken from the list: title, description, URLs, services to test.
import { dataPaths, httpUrl, publication, readList } from "../_lib/settings.js";
import { repositoryNamed } from "../_lib/probe-code.js";

export default function () {
  const list = readList(dataPaths().listFile);
  const { siteUrl, pathPrefix } = publication(list);
  return {
    title: list.title,
    description: list.description ?? `${list.title}: which instances work right now.`,
    url: siteUrl,
    pathPrefix,
    repository: httpUrl(list.repository)?.href ?? null,
    // owner/name on GitHub, for `gh attestation verify --repo`; null when the list names none.
    repositoryName: repositoryNamed(list.repository) ?? repositoryNamed(list.site),
    contact: list.contact ?? null,
    services: Object.keys(list.services ?? {}).sort(),
    refreshMinutes: 60,
    // Two missed runs in a row: pages warn, and clients reading /status.json should too.
    staleAfterMinutes: 120,
    // `npm start -- --demo`: data from simulated instances, said on every page.
    demo: process.env.SITE_DEMO === "1",
  };
}
