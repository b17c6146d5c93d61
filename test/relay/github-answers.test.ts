// How the relay reads GitHub's answers (issue 12, findings 2, 6 and 8): only 204 is a dispatch,
// redirects are never followed, error bodies are read with a cap, Retry-After is passed on only
// when GitHub gave one, and a 204 that comes after the deadline is still a success.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "@jest/globals";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { GitHubStandIn } from "./support/github-stand-in.js";
import { GITHUB_TOKEN, SHARED_SECRET, post, relayEnv, settleRelays, startRelay, type RunningRelay } from "./support/relay.js";

let github: GitHubStandIn;
const running: RunningRelay[] = [];
const servers: Server[] = [];

beforeAll(async () => {
  github = new GitHubStandIn(GITHUB_TOKEN);
  await github.start();
});

afterEach(async () => {
  await settleRelays(running, github);
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

afterAll(() => github.stop());

async function relay(githubUrl: string, overrides: Record<string, string> = {}): Promise<RunningRelay> {
  const started = await startRelay(relayEnv(githubUrl, overrides));
  running.push(started);
  return started;
}

/** A stand-in for whatever answers in GitHub's place (a proxy, an SSO gateway, a broken GitHub). */
async function fakeGitHub(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    request.resume();
    handler(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const delta = '{"target":"workers","delta":2}';
const dispatchWith = (url: string) => post(`${url}/dispatch`, delta, { authorization: `Bearer ${SHARED_SECRET}` });

describe("only 204 is a dispatch", () => {
  // Issue 12: GitHub 200 or 202 became relay 200.
  test.each([200, 201, 202])("GitHub answering %i is not success: 502, and the sender keeps the alert", async (status) => {
    github.dispatchAnswers.push({ status });
    const { url } = await relay(github.url);
    const response = await dispatchWith(url);
    expect(response.status).toBe(502);
    expect(response.json()).toMatchObject({ error: "github_misconfigured", message: expect.stringContaining(`GitHub answered ${status}`) });
  });

  // Issue 12: a 301 was re-sent as a GET to Location, which answered 200: "ok", no dispatch.
  // A 307 sent the POST to another origin.
  test.each([301, 302, 303, 307, 308])("a %i redirect is not followed", async (status) => {
    const elsewhere = await fakeGitHub((_, response) => response.writeHead(200).end("{}"));
    const redirecting = await fakeGitHub((_, response) => response.writeHead(status, { location: `${elsewhere.url}/repos/acme/infra/dispatches?x=1` }).end());
    const { url } = await relay(redirecting.url, { RELAY_GITHUB_MAX_ATTEMPTS: "3" });
    const response = await dispatchWith(url);
    expect(response.status).toBe(502);
    expect(response.json()["message"]).toContain(`a redirect to ${elsewhere.url}, not followed`);
    expect(redirecting.requests).toEqual(["POST /repos/acme/infra/dispatches"]);
    expect(elsewhere.requests).toEqual([]);
  });
});

describe("GitHub's error answers", () => {
  // Issue 12: a 500 with a 300 MB body took the relay's RSS from 296 to 1,207 MB.
  test("an endless error body is read only a few KB far", async () => {
    let sent = 0;
    const endless = await fakeGitHub((_, response) => {
      response.writeHead(500, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        // Stops when the relay hangs up, or after 300 MB if it never does.
        while (!response.destroyed && sent < 300 * 1024 * 1024) {
          sent += chunk.length;
          if (!response.write(chunk)) return response.once("drain", pump);
        }
        response.end();
      };
      pump();
    });
    const { url } = await relay(endless.url, { RELAY_GITHUB_MAX_ATTEMPTS: "1" });
    const response = await dispatchWith(url);
    expect(response.status).toBe(503);
    // What the sockets buffered before the relay hung up; far from 300 MB.
    expect(sent).toBeLessThan(32 * 1024 * 1024);
  });

  // Issue 12: Retry-After was sent when GitHub gave none (7 after 500s, 1 after a hang).
  test("after 500s without Retry-After the answer has none", async () => {
    github.dispatchAnswers.push({ status: 500 }, { status: 500 }, { status: 500 });
    const { url } = await relay(github.url, { RELAY_GITHUB_MAX_ATTEMPTS: "3" });
    const response = await dispatchWith(url);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBeNull();
  });

  test("a secondary rate limit without Retry-After is not answered with the relay's own guess", async () => {
    github.dispatchAnswers.push({ status: 403, body: { message: "You have exceeded a secondary rate limit." } });
    const { url } = await relay(github.url, { RELAY_GITHUB_TIMEOUT_MS: "1000" });
    const response = await dispatchWith(url);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBeNull();
  });

  test("after a GitHub that never answers there is no Retry-After either", async () => {
    const hanging = await fakeGitHub(() => undefined);
    const { url } = await relay(hanging.url, { RELAY_GITHUB_TIMEOUT_MS: "200", RELAY_GITHUB_MAX_ATTEMPTS: "1" });
    const response = await dispatchWith(url);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBeNull();
  }, 30_000);

  test("Retry-After is passed on when GitHub gave one longer than the deadline", async () => {
    github.dispatchAnswers.push({ status: 503, headers: { "retry-after": "120" } });
    const { url } = await relay(github.url);
    const response = await dispatchWith(url);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("120");
  });
});

// Issue 12: a 204 after the deadline gave 503, so the sender retried and GitHub got the dispatch twice.
test("a 204 that arrives after the deadline is a success", async () => {
  const timeoutMs = 300;
  const late = await fakeGitHub((request, response) => {
    // GitHub is slow: it answers only after the relay's deadline has passed.
    request.on("end", () => setTimeout(() => response.writeHead(204).end(), timeoutMs * 3));
  });
  const { url } = await relay(late.url, { RELAY_GITHUB_TIMEOUT_MS: String(timeoutMs) });
  const response = await dispatchWith(url);
  expect(response.status).toBe(200);
  expect(late.requests).toHaveLength(1);
}, 30_000);
