// A loopback stand-in for the part of GitHub's REST API the requests workflow calls: issue
// comments, a collaborator's permission and pull requests. It keeps what was written and
// records every request, so a test can say exactly what a run did to the repository.
import { sendJson, startServer, type Loopback } from "./loopback.ts";

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: string };
  updated_at: string;
}

export interface FakeGitHub extends Loopback {
  comments: FakeComment[];
  pulls: { number: number; title: string; head: string; base: string; body: string }[];
  /** login → the permission the API reports (`admin`, `write`, `read`, `none`). */
  permissions: Map<string, string>;
  /** The requests that could change something (anything but GET). */
  writes(): { method: string; path: string }[];
}

export async function startFakeGitHub(repository: string): Promise<FakeGitHub> {
  const comments: FakeComment[] = [];
  const pulls: FakeGitHub["pulls"] = [];
  const permissions = new Map<string, string>();
  let ids = 1000;
  const prefix = `/repos/${repository}`;
  const server = await startServer((request, response, text) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const path = url.pathname;
    const body = text ? JSON.parse(text) : undefined;
    if (request.headers.authorization !== "Bearer test-token") return sendJson(response, 401, { message: "Bad credentials" });
    if (!path.startsWith(`${prefix}/`)) return sendJson(response, 404, { message: "Not Found" });
    const route = `${request.method} ${path.slice(prefix.length)}`;
    let match: RegExpExecArray | null;
    if ((match = /^GET \/issues\/(\d+)\/comments$/.exec(route))) {
      const page = Number(url.searchParams.get("page") ?? 1);
      const all = comments.filter((comment) => comment.issue === Number(match![1]));
      return sendJson(response, 200, all.slice((page - 1) * 100, page * 100));
    }
    if ((match = /^POST \/issues\/(\d+)\/comments$/.exec(route))) {
      const comment = { id: ++ids, issue: Number(match[1]), body: body.body, user: { login: "github-actions[bot]", type: "Bot" }, updated_at: new Date().toISOString() };
      comments.push(comment);
      return sendJson(response, 201, comment);
    }
    if ((match = /^PATCH \/issues\/comments\/(\d+)$/.exec(route))) {
      const comment = comments.find((candidate) => candidate.id === Number(match![1]));
      if (!comment) return sendJson(response, 404, { message: "Not Found" });
      Object.assign(comment, { body: body.body, updated_at: new Date().toISOString() });
      return sendJson(response, 200, comment);
    }
    if ((match = /^GET \/collaborators\/([^/]+)\/permission$/.exec(route))) {
      const permission = permissions.get(decodeURIComponent(match[1]!)) ?? "none";
      return sendJson(response, 200, { permission, role_name: permission });
    }
    if (route === "POST /pulls") {
      if (pulls.some((pull) => pull.head === body.head)) return sendJson(response, 422, { message: "A pull request already exists" });
      const pull = { number: ++ids, title: body.title, head: body.head, base: body.base, body: body.body };
      pulls.push(pull);
      return sendJson(response, 201, { ...pull, html_url: `https://github.com/${repository}/pull/${pull.number}` });
    }
    if (route === "GET /pulls") {
      const head = url.searchParams.get("head")?.split(":")[1];
      return sendJson(response, 200, pulls.filter((pull) => pull.head === head).map((pull) => ({ ...pull, html_url: `https://github.com/${repository}/pull/${pull.number}` })));
    }
    if ((match = /^PATCH \/pulls\/(\d+)$/.exec(route))) {
      const pull = pulls.find((candidate) => candidate.number === Number(match![1]));
      if (!pull) return sendJson(response, 404, { message: "Not Found" });
      Object.assign(pull, { title: body.title, body: body.body });
      return sendJson(response, 200, pull);
    }
    sendJson(response, 404, { message: `no stand-in for ${route}` });
  });
  return {
    ...server,
    comments,
    pulls,
    permissions,
    writes: () => server.requests.filter((request) => request.method !== "GET").map(({ method, path }) => ({ method, path })),
  };
}
