import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { createLambdaHandler } from "../../src/relay/lambda.js";
import { GitHubStandIn } from "./support/github-stand-in.js";
import { ALERTMANAGER_TOKEN, GITHUB_TOKEN, SHARED_SECRET, fixture, relayEnv, startRelay, type RunningRelay } from "./support/relay.js";

let github: GitHubStandIn;
let running: RunningRelay;
let handler: ReturnType<typeof createLambdaHandler>;
const firing = fixture("alertmanager-0.25.0-firing.raw.json");

beforeAll(async () => {
  github = new GitHubStandIn(GITHUB_TOKEN);
  await github.start();
  running = await startRelay(relayEnv(github.url));
  handler = createLambdaHandler(() => running.relay);
});

afterAll(async () => {
  expect(github.invalid).toEqual([]);
  await running.stop();
  await github.stop();
});

test("a Function URL (payload 2.0) event with a base64 body is forwarded", async () => {
  const result = await handler({
    version: "2.0",
    rawPath: "/alertmanager",
    rawQueryString: "",
    headers: { authorization: `Bearer ${ALERTMANAGER_TOKEN}`, "content-type": "application/json" },
    requestContext: { http: { method: "POST", path: "/alertmanager" } },
    body: Buffer.from(firing).toString("base64"),
    isBase64Encoded: true,
  });
  expect(result).toMatchObject({ statusCode: 200 });
  expect(github.dispatches.at(-1)!.body).toMatchObject({ client_payload: { source: "alertmanager" } });
});

test("an API Gateway REST (payload 1.0) event under a stage prefix is forwarded; header case does not matter", async () => {
  const before = github.dispatches.length;
  const result = await handler({
    httpMethod: "POST",
    path: "/prod/dispatch",
    headers: { Authorization: `Bearer ${SHARED_SECRET}` },
    body: '{"target":"workers","count":4}',
    isBase64Encoded: false,
  });
  expect(result).toMatchObject({ statusCode: 200 });
  expect(github.dispatches.length).toBe(before + 1);
});

test("refusals are HTTP answers, not Lambda errors", async () => {
  const unauthorized = await handler({ httpMethod: "POST", path: "/alertmanager", headers: {}, body: firing });
  expect(unauthorized).toMatchObject({ statusCode: 401 });
  const health = await handler({ version: "2.0", rawPath: "/healthz", requestContext: { http: { method: "GET" } } });
  expect(health).toMatchObject({ statusCode: 200 });
});

// Issue 12: the handler threw a TypeError on these; a thrown error is a failed invocation that
// Lambda retries, and no retry can make them readable.
test.each<[string, unknown]>([
  ["a text event", "nonsense"],
  ["null", null],
  ["a list", [1, 2]],
  ["a number", 42],
  ["SQS records", { Records: [{ EventSource: "aws:sqs", body: "{}" }] }],
  ["a null record", { Records: [null] }],
  ["an empty list of records", { Records: [] }],
  ["records that are not a list", { Records: "x" }],
  ["an SNS record without its message", { Records: [{ EventSource: "aws:sns" }] }],
  ["a non-text rawPath", { version: "2.0", rawPath: 42, requestContext: { http: { method: "POST" } } }],
  ["an object rawPath", { version: "2.0", rawPath: { toString: null }, requestContext: { http: { method: "POST" } } }],
  ["no method", { rawPath: "/alertmanager" }],
  ["a path without a leading slash", { httpMethod: "POST", path: "alertmanager" }],
])("%s is answered 400, never thrown", async (_, event) => {
  const result = await handler(event);
  expect(result).toMatchObject({ statusCode: 400 });
  expect(JSON.parse((result as { body: string }).body)).toMatchObject({ error: "bad_event", message: expect.stringMatching(/expected/) });
});

test("a query string is read for credentials but never appears in the answer", async () => {
  const secretInQuery = "query-secret-0a1b2c3d4e";
  const result = await handler({ version: "2.0", rawPath: "/nowhere", rawQueryString: `token=${secretInQuery}`, requestContext: { http: { method: "POST" } } });
  expect(result).toMatchObject({ statusCode: 404 });
  expect(JSON.stringify(result)).not.toContain(secretInQuery);
  const rest = await handler({ httpMethod: "POST", path: "/alertmanager", queryStringParameters: { token: secretInQuery }, headers: {}, body: "{}" });
  expect(rest).toMatchObject({ statusCode: 401 });
  expect(JSON.stringify(rest)).not.toContain(secretInQuery);
});
