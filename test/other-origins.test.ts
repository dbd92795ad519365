// Requests stay with their instance: the download POST follows no redirect to another
// origin (its body and API key go nowhere else), and a tunnel on another host is the
// instance's request: charged to its queue and rate limit, sent once, never followed,
// never to an address the list refuses. Real probe runs against loopback servers on
// several ports (several origins), plus the client itself for the queue a tunnel waits in.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HttpClient } from "../scripts/lib/http.ts";
import type { CobaltInstance } from "../scripts/schema-types.ts";
import { runScript } from "./support/cli.ts";
import { PATHOLOGIES, startHostile, type HostileServer } from "./support/hostile-servers.ts";
import { sendJson, startServer, temporaryDirectory, writeJson, type Handler, type Loopback } from "./support/loopback.ts";

const SERVICES = { youtube: "https://www.youtube.com/watch?v=jNQXAC9IVRw", tiktok: "https://www.tiktok.com/@x/video/1" };

/** A cobalt 10 API whose POST answer is the given handler's. */
function cobaltWith(post: Handler): Handler {
  return (request, response, body) => {
    if (request.method === "GET" && request.url === "/") {
      return sendJson(response, 200, { cobalt: { version: "10.9.3", startTime: "1724088311229", services: ["youtube", "tiktok"] }, git: { commit: "a", branch: "main", remote: "imputnet/cobalt" } });
    }
    return post(request, response, body);
  };
}

function redirect(response: Parameters<Handler>[1], status: number, location: string) {
  response.writeHead(status, { location, "content-length": "0" });
  response.end();
}

describe("requests stay with their instance", () => {
  const folder = temporaryDirectory();
  let other: Loopback;
  let third: Loopback;
  let forbidden: HostileServer;
  const apis: Record<string, Loopback> = {};
  let entries: CobaltInstance[];
  const byName = (name: string) => entries.find((entry) => entry.api_url === apis[name]!.url)!;

  before(async () => {
    third = await startServer((_request, response) => sendJson(response, 200, { status: "redirect", url: "https://cdn.example/v.mp4" }));
    other = await startServer((request, response) => {
      if (request.url?.startsWith("/tunnel-429")) {
        response.writeHead(429, { "retry-after": "1", "content-length": "0" });
        return void response.end();
      }
      if (request.url?.startsWith("/tunnel-302")) return redirect(response, 302, `${third.url}/tunnel`);
      if (request.url?.startsWith("/tunnel")) {
        response.writeHead(200, { "content-type": "video/mp4", "content-length": "5000" });
        return void response.end();
      }
      sendJson(response, 200, { status: "redirect", url: "https://cdn.example/v.mp4" });
    });
    forbidden = await startHostile("127.0.0.2", PATHOLOGIES["answers 500"]!, "127.0.0.2");
    apis.redirector = await startServer(cobaltWith((_request, response) => redirect(response, 307, `${other.url}/`)));
    apis.keyedRedirector = await startServer(cobaltWith((_request, response) => redirect(response, 308, `${other.url}/`)));
    apis.sameOrigin = await startServer(cobaltWith((request, response) => request.url === "/"
      ? redirect(response, 307, "/again")
      : sendJson(response, 200, { status: "redirect", url: "https://cdn.example/v.mp4" })));
    const tunnelTo = (url: string): Handler => (_request, response) => sendJson(response, 200, { status: "tunnel", url, filename: "v.mp4" });
    apis.tunnelElsewhere = await startServer(cobaltWith(tunnelTo(`${other.url}/tunnel?id=1`)));
    apis.tunnelLimited = await startServer(cobaltWith(tunnelTo(`${other.url}/tunnel-429`)));
    apis.tunnelRedirects = await startServer(cobaltWith(tunnelTo(`${other.url}/tunnel-302`)));
    apis.tunnelForbidden = await startServer(cobaltWith(tunnelTo(`${forbidden.url}/tunnel`)));

    writeJson(join(folder.dir, "list.json"), {
      title: "other origins",
      probe: { timeoutMs: 5000, allowPrivateAddresses: ["127.0.0.1/32"] },
      services: SERVICES,
      instances: Object.entries(apis).map(([name, server]) => ({
        kind: "cobalt", api: server.url, name, ...(name === "keyedRedirector" ? { apiKeyEnv: "INSTANCE_KEY_REDIRECTOR" } : {}),
      })),
    });
    const result = await runScript("scripts/probe.ts", ["--list", join(folder.dir, "list.json"), "--out", join(folder.dir, "instances.json")], { INSTANCE_KEY_REDIRECTOR: "redirector-key" });
    assert.equal(result.code, 0, result.stderr);
    entries = JSON.parse(readFileSync(join(folder.dir, "instances.json"), "utf8"));
  });

  after(async () => {
    await Promise.all([other, third, forbidden, ...Object.values(apis)].map((server) => server.close()));
    folder.remove();
  });

  it("does not follow the download POST to another origin: the other server gets nothing, the test fails with a reason", () => {
    assert.deepEqual(other.requests.filter((r) => r.method === "POST"), []);
    for (const name of ["redirector", "keyedRedirector"]) {
      for (const result of Object.values(byName(name).service_results)) assert.deepEqual(result, { result: "fail", status: null, error: "cross_origin_redirect" });
    }
  });

  it("sends the API key to the listed API and to no other origin, even through a redirect", () => {
    const keyed = apis.keyedRedirector!.requests.filter((r) => r.method === "POST");
    assert.ok(keyed.length > 0 && keyed.every((r) => r.headers.authorization === "Api-Key redirector-key"));
    assert.ok(other.requests.every((r) => r.headers.authorization === undefined));
  });

  it("follows a redirect of the POST that stays on the API's origin", () => {
    assert.equal(byName("sameOrigin").score, 100);
    assert.deepEqual(apis.sameOrigin!.requests.filter((r) => r.method === "POST").map((r) => r.path).sort(), ["/", "/", "/again", "/again"]);
  });

  it("checks a tunnel on another host with one HEAD per service, even when that host answers 429", () => {
    assert.equal(byName("tunnelElsewhere").score, 100);
    const heads = (path: string) => other.requests.filter((r) => r.method === "HEAD" && r.path.startsWith(path)).length;
    assert.equal(heads("/tunnel?"), 2);
    assert.equal(heads("/tunnel-429"), 2);
    for (const result of Object.values(byName("tunnelLimited").service_results)) assert.equal(result.error, "tunnel_http_429");
  });

  it("does not follow a tunnel's redirect to a third host", () => {
    assert.deepEqual(third.requests, []);
    for (const result of Object.values(byName("tunnelRedirects").service_results)) assert.deepEqual(result, { result: "fail", status: "tunnel", error: "tunnel_http_302" });
  });

  it("never checks a tunnel on an address the list refuses", () => {
    assert.equal(forbidden.connections(), 0);
    for (const result of Object.values(byName("tunnelForbidden").service_results)) assert.equal(result.error, "tunnel_address_not_allowed");
  });
});

describe("a tunnel on another host, in the client", () => {
  it("waits in the instance's queue, not in the other host's: that host's own requests go on meanwhile", async () => {
    let headOpen = false;
    let headOpenWhenGetArrived = false;
    let releaseHead = () => {};
    let headArrived = () => {};
    const headSeen = new Promise<void>((resolve) => (headArrived = resolve));
    const host = await startServer((request, response) => {
      if (request.method === "HEAD") {
        headOpen = true;
        headArrived();
        // Held until the host's own GET arrives; a fallback so a regression fails instead of hanging.
        const fallback = setTimeout(() => releaseHead(), 5000);
        releaseHead = () => {
          clearTimeout(fallback);
          headOpen = false;
          response.writeHead(200, { "content-length": "5000" });
          response.end();
        };
        return;
      }
      headOpenWhenGetArrived = headOpen;
      sendJson(response, 200, {});
      releaseHead();
    });
    const instance = await startServer((_request, response) => sendJson(response, 200, {}));
    const http = new HttpClient({
      userAgent: "other-origins-test", timeoutMs: 10_000, concurrency: 8, perHostConcurrency: 1,
      allowPrivateAddresses: ["127.0.0.1/32"], deadline: Date.now() + 30_000,
    });
    try {
      const tunnel = http.request(`${host.url}/tunnel`, { method: "HEAD", rateLimitKey: "tunnel", chargedTo: instance.url });
      await headSeen;
      const own = await http.request(`${host.url}/`);
      assert.equal(own.status, 200);
      assert.equal(headOpenWhenGetArrived, true);
      assert.equal((await tunnel).status, 200);
    } finally {
      await http.close();
      await Promise.all([host.close(), instance.close()]);
    }
  });
});
