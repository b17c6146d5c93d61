import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { request as httpRequest } from "node:http";
import { GitHubStandIn } from "./support/github-stand-in.js";
import { ALERTMANAGER_TOKEN, EVENTBRIDGE_KEY, GITHUB_TOKEN, SHARED_SECRET, TOPIC_ARN, fixture, post, relayEnv, startRelay, type RunningRelay } from "./support/relay.js";

const MAX_BODY = 64 * 1024;

let github: GitHubStandIn;
let running: RunningRelay;

beforeAll(async () => {
  github = new GitHubStandIn(GITHUB_TOKEN);
  await github.start();
  running = await startRelay(relayEnv(github.url, { RELAY_MAX_BODY_BYTES: String(MAX_BODY) }));
});

afterAll(async () => {
  await running.stop();
  await github.stop();
});

const credentials: Record<string, Record<string, string>> = {
  alertmanager: { authorization: `Bearer ${ALERTMANAGER_TOKEN}` },
  eventbridge: { "x-api-key": EVENTBRIDGE_KEY },
  dispatch: { authorization: `Bearer ${SHARED_SECRET}` },
  sns: { "x-amz-sns-topic-arn": TOPIC_ARN },
};

const anyBody = fc.oneof(
  fc.string({ maxLength: 2000 }),
  fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)),
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
);

/** A valid Alertmanager body with one field replaced by anything. */
const mutatedAlertmanager = fc
  .tuple(
    fc.constantFrom("receiver", "status", "alerts", "groupLabels", "commonLabels", "version", "groupKey", "truncatedAlerts", "externalURL"),
    fc.jsonValue({ maxDepth: 3 }),
  )
  .map(([key, value]) => JSON.stringify({ ...JSON.parse(fixture("alertmanager-0.25.0-firing.raw.json")), [key]: value }));

describe("random bodies never crash the relay", () => {
  test.each(Object.keys(credentials))("%s: random bodies, with and without credentials, get a 4xx and forward nothing", async (endpoint) => {
    await fc.assert(
      fc.asyncProperty(anyBody, fc.boolean(), async (body, authenticated) => {
        const before = github.requests.length;
        const response = await post(`${running.url}/${endpoint}`, body, authenticated ? credentials[endpoint]! : {});
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(JSON.parse(response.body)).toHaveProperty("error");
        expect(github.requests.length).toBe(before);
      }),
      { numRuns: 60 },
    );
  });

  test("valid Alertmanager bodies with one field replaced are forwarded or refused with 4xx, never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(mutatedAlertmanager, async (body) => {
        const before = github.dispatches.length;
        const response = await post(`${running.url}/alertmanager`, body, credentials["alertmanager"]!);
        expect([200, 400, 413, 422]).toContain(response.status);
        expect(github.dispatches.length - before).toBe(response.status === 200 ? 1 : 0);
      }),
      { numRuns: 100 },
    );
  });

  test("the core handles random methods, paths and headers", async () => {
    const path = fc.oneof(fc.constantFrom("/alertmanager", "/sns", "/eventbridge", "/dispatch", "/healthz", "/metrics", "/a/b/alertmanager?x=1"), fc.string());
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PUT", "DELETE", "OPTIONS"),
        path,
        fc.dictionary(fc.constantFrom("authorization", "x-api-key", "content-type", "x-amz-sns-message-type"), fc.string({ maxLength: 200 })),
        fc.uint8Array({ maxLength: 500 }),
        async (method, requestPath, headers, body) => {
          const response = await running.relay.handle({ method, path: requestPath, headers, body: Buffer.from(body) });
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 500 },
    );
    expect(github.invalid).toEqual([]);
  });
});

/** Sends a body with node:http so both a declared length and a chunked stream can be tested. */
function sendRaw(path: string, options: { declaredLength?: number; chunks: Buffer[]; headers?: Record<string, string> }): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${running.url}${path}`, {
      method: "POST",
      headers: { ...(options.declaredLength !== undefined ? { "content-length": options.declaredLength } : {}), ...options.headers },
    });
    request.on("response", (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    // The relay may close the connection while the body is still being sent; the answer counts.
    request.on("error", (error: NodeJS.ErrnoException) => (error.code === "EPIPE" || error.code === "ECONNRESET" ? undefined : reject(error)));
    for (const chunk of options.chunks) request.write(chunk);
    request.end();
  });
}

describe("oversized bodies", () => {
  test.each(["alertmanager", "sns", "eventbridge", "dispatch"])("%s: a declared length over the limit gets 413", async (endpoint) => {
    const status = await sendRaw(`/${endpoint}`, { declaredLength: MAX_BODY + 1, chunks: [Buffer.alloc(MAX_BODY + 1, 0x20)], headers: credentials[endpoint]! });
    expect(status).toBe(413);
  });

  test("a chunked body that grows past the limit gets 413", async () => {
    const chunks = Array.from({ length: 20 }, () => Buffer.alloc(8 * 1024, 0x20));
    const status = await sendRaw("/alertmanager", { chunks, headers: { ...credentials["alertmanager"]!, "transfer-encoding": "chunked" } });
    expect(status).toBe(413);
  });

  test("random oversized bodies get 413, and the relay keeps serving", async () => {
    const before = github.requests.length;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: MAX_BODY + 1, max: 4 * MAX_BODY }), fc.constantFrom("alertmanager", "sns", "eventbridge", "dispatch"), async (size, endpoint) => {
        const response = await post(`${running.url}/${endpoint}`, Buffer.alloc(size, 0x7b), credentials[endpoint]!);
        expect(response.status).toBe(413);
      }),
      { numRuns: 20 },
    );
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    expect(running.relay.metrics.rejected.get({ endpoint: "alertmanager", reason: "too_large" })).toBeGreaterThan(0);
    expect(github.requests.length).toBe(before);
  });
});
