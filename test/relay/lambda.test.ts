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

test("an unknown event shape fails the invocation with a message saying what was expected", async () => {
  await expect(handler("nonsense")).rejects.toThrow(/event object/);
  await expect(handler({ Records: [{ EventSource: "aws:sqs" }] })).rejects.toThrow(/SNS records/);
});
