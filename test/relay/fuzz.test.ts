import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { request as httpRequest } from "node:http";
import { createLambdaHandler } from "../../src/relay/lambda.js";
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

/** `levels` nested arrays, objects, or both in turn, around one value. */
function nested(levels: number, kind: "array" | "object" | "mixed", inner = "1"): string {
  const open = (level: number) => (kind === "array" || (kind === "mixed" && level % 2 === 0) ? "[" : '{"a":');
  const close = (level: number) => (kind === "array" || (kind === "mixed" && level % 2 === 0) ? "]" : "}");
  let head = "";
  let tail = "";
  for (let level = 0; level < levels; level++) {
    head += open(level);
    tail = close(level) + tail;
  }
  return head + inner + tail;
}

// Issue 12: JSON.stringify overflowed the stack at depth ≈ 4,390 (an 8.8 KB body) on
// /alertmanager, /eventbridge, /dispatch and Lambda, and the answer was a 500.
describe("deep nesting is a 4xx, never a 5xx or a stack overflow", () => {
  let deep: RunningRelay;
  beforeAll(async () => {
    deep = await startRelay(relayEnv(github.url, { RELAY_MAX_BODY_BYTES: String(2 * 1024 * 1024) }));
  });
  afterAll(() => deep.stop());

  const depths = [65, 4_390, 10_000, 100_000];
  test.each(Object.keys(credentials).flatMap((endpoint) => depths.flatMap((depth) => (["array", "object", "mixed"] as const).map((kind) => [endpoint, depth, kind] as const))))(
    "%s: %i levels of %s",
    async (endpoint, depth, kind) => {
      const before = github.requests.length;
      const response = await post(`${deep.url}/${endpoint}`, nested(depth, kind), credentials[endpoint]!);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(github.requests.length).toBe(before);
    },
    60_000,
  );

  test.each(depths)("a valid Alertmanager body with %i levels inside an annotation is a 422", async (depth) => {
    const before = github.requests.length;
    const body = fixture("alertmanager-0.25.0-firing.raw.json").replace('"annotations":{', `"annotations":{"deep":${nested(depth, "mixed")},`);
    const response = await post(`${deep.url}/alertmanager`, body, credentials["alertmanager"]!);
    expect(response.status).toBe(422);
    expect(response.json()["message"]).toMatch(/nests more than 64 levels deep/);
    expect(github.requests.length).toBe(before);
  }, 60_000);

  test.each(depths)("Lambda: %i levels in a Function URL body and in an SNS record are answered, never thrown", async (depth) => {
    const before = github.requests.length;
    const handler = createLambdaHandler(() => deep.relay);
    const body = nested(depth, "mixed");
    for (const [path, headers] of Object.entries(credentials)) {
      const result = (await handler({ version: "2.0", rawPath: `/${path}`, headers, requestContext: { http: { method: "POST" } }, body })) as { statusCode: number };
      expect(result.statusCode).toBeGreaterThanOrEqual(400);
      expect(result.statusCode).toBeLessThan(500);
    }
    const record = { EventSource: "aws:sns", Sns: JSON.parse(`{"Type":"Notification","Deep":${body}}`) as unknown };
    // A refused SNS record resolves (no Lambda retry) and is counted; only a 5xx would throw.
    const refusedBefore = deep.relay.metrics.rejected.get({ endpoint: "sns", reason: "invalid_payload" });
    await expect(handler({ Records: [record] })).resolves.toBeUndefined();
    expect(deep.relay.metrics.rejected.get({ endpoint: "sns", reason: "invalid_payload" })).toBe(refusedBefore + 1);
    expect(github.requests.length).toBe(before);
  }, 60_000);
});

describe("a 2xx only when GitHub answered 204", () => {
  const answers = fc.constantFrom(200, 201, 202, 204, 301, 302, 307, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503);
  const bodies: Record<string, string> = {
    alertmanager: fixture("alertmanager-0.25.0-firing.raw.json"),
    eventbridge: fixture("eventbridge-state-change-for-a-single-metric-alarm.json"),
    dispatch: '{"target":"workers","delta":2}',
  };

  test("whatever GitHub (or something in its place) answers", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(bodies)), fc.array(answers, { minLength: 1, maxLength: 3 }), async (endpoint, scripted) => {
        github.dispatchAnswers.length = 0;
        github.dispatchAnswers.push(...scripted.map((status) => ({ status, ...(status >= 300 && status < 400 ? { headers: { location: "http://127.0.0.1:9/" } } : {}) })));
        const before = github.requests.length;
        const response = await post(`${running.url}/${endpoint}`, bodies[endpoint]!, credentials[endpoint]!);
        const seen = github.requests.slice(before).map((request) => request.status);
        expect(response.status === 200).toBe(seen.includes(204));
        if (response.status === 200) expect(seen.at(-1)).toBe(204);
        // A payload that can never succeed is never answered 5xx, and one GitHub refused is never 2xx.
        if (seen.includes(422) && !seen.includes(204)) expect(response.status).toBe(422);
      }),
      { numRuns: 60 },
    );
    github.dispatchAnswers.length = 0;
  }, 120_000);
});

describe("the Lambda handler never throws for events it cannot use", () => {
  test("random events", async () => {
    const handler = createLambdaHandler(() => running.relay);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.anything(),
          fc.record({ Records: fc.array(fc.oneof(fc.anything(), fc.record({ EventSource: fc.constant("aws:sns"), Sns: fc.anything() }))) }),
          fc.record({ version: fc.constant("2.0"), rawPath: fc.oneof(fc.string(), fc.anything()), requestContext: fc.anything(), headers: fc.anything(), body: fc.anything() }),
          fc.record({ httpMethod: fc.anything(), path: fc.anything(), queryStringParameters: fc.anything(), multiValueQueryStringParameters: fc.anything(), body: fc.anything(), isBase64Encoded: fc.boolean() }),
        ),
        async (event) => {
          const before = github.requests.length;
          const result = (await handler(event)) as { statusCode: number } | undefined;
          if (result !== undefined) expect(result.statusCode).toBeLessThan(500);
          expect(github.requests.length).toBe(before);
        },
      ),
      { numRuns: 300 },
    );
  });
});
