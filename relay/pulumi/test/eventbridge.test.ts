import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { plainText, registration, secretValue } from "./mocks";
import { PulumiScaleRelay, type PulumiScaleRelayArgs } from "../index";

const bundle = path.join(__dirname, "..", "..", "..", "..", "dist", "relay", "lambda.mjs");

function relay(name: string, eventBridge: PulumiScaleRelayArgs["eventBridge"]): PulumiScaleRelay {
  return new PulumiScaleRelay(name, { githubToken: "github_pat_do-not-show", repository: "acme/web-infra", eventBridge, lambdaBundle: bundle });
}

test("alarm state changes go from a rule through an API destination to the relay's /eventbridge", async () => {
  relay("eb", { alarmNames: ["jobs-backlog-high"] });
  const rule = await registration("aws:cloudwatch/eventRule:EventRule", "eb-alarms");
  assert.deepEqual(JSON.parse(rule.inputs["eventPattern"] as string), {
    source: ["aws.cloudwatch"],
    "detail-type": ["CloudWatch Alarm State Change"],
    detail: { alarmName: ["jobs-backlog-high"], state: { value: ["ALARM", "OK"] } },
  });
  const destination = await registration("aws:cloudwatch/eventApiDestination:EventApiDestination", "eb-eventbridge");
  assert.equal(destination.inputs["invocationEndpoint"], "https://eb-url.lambda-url.eu-west-1.on.aws/eventbridge");
  assert.equal(destination.inputs["httpMethod"], "POST");
  assert.equal(destination.inputs["invocationRateLimitPerSecond"], 1);
  assert.equal(destination.inputs["connectionArn"], "arn:aws:mock:eu-west-1:123456789012:eb-eventbridge");
  const target = await registration("aws:cloudwatch/eventTarget:EventTarget", "eb-to-relay");
  assert.equal(target.inputs["rule"], "eb-alarms");
  assert.equal(target.inputs["arn"], "arn:aws:mock:eu-west-1:123456789012:eb-eventbridge");
  assert.equal(target.inputs["inputTransformer"], undefined, "the relay takes the event as EventBridge sends it");
  const policy = await registration("aws:iam/rolePolicy:RolePolicy", "eb-eventbridge");
  assert.deepEqual(JSON.parse(policy.inputs["policy"] as string).Statement, [
    { Effect: "Allow", Action: "events:InvokeApiDestination", Resource: "arn:aws:mock:eu-west-1:123456789012:eb-eventbridge" },
  ]);
});

test("the connection's API key is the relay's RELAY_EVENTBRIDGE_API_KEY, generated and kept secret", async () => {
  relay("key", {});
  const connection = await registration("aws:cloudwatch/eventConnection:EventConnection", "key-eventbridge");
  assert.equal(connection.inputs["authorizationType"], "API_KEY");
  const apiKey = (secretValue(connection.inputs["authParameters"]) as { apiKey: unknown }).apiKey as { key: string; value: string };
  assert.deepEqual(apiKey, { key: "x-api-key", value: "generated-key-eventbridge-key" });
  const fn = await registration("aws:lambda/function:Function", "key-relay");
  const variables = (secretValue(fn.inputs["environment"]) as { variables: Record<string, string> }).variables;
  assert.equal(variables["RELAY_EVENTBRIDGE_API_KEY"], "generated-key-eventbridge-key");
  assert.equal(variables["RELAY_EVENTBRIDGE_API_KEY_HEADER"], undefined, "x-api-key is the relay's default");
  assert.ok(!plainText(connection.inputs).includes("generated-key-eventbridge-key"));
  const rule = await registration("aws:cloudwatch/eventRule:EventRule", "key-alarms");
  assert.deepEqual(JSON.parse(rule.inputs["eventPattern"] as string).detail, { state: { value: ["ALARM", "OK"] } }, "every alarm when none is named");
});

test("a given API key, states and rate are used", async () => {
  relay("given", { apiKey: "eventbridge-key-do-not-show", states: ["ALARM", "OK", "INSUFFICIENT_DATA"], invocationRateLimitPerSecond: 5 });
  const connection = await registration("aws:cloudwatch/eventConnection:EventConnection", "given-eventbridge");
  const apiKey = (secretValue(connection.inputs["authParameters"]) as { apiKey: unknown }).apiKey as { value: string };
  assert.equal(apiKey.value, "eventbridge-key-do-not-show");
  const rule = await registration("aws:cloudwatch/eventRule:EventRule", "given-alarms");
  assert.deepEqual(JSON.parse(rule.inputs["eventPattern"] as string).detail.state.value, ["ALARM", "OK", "INSUFFICIENT_DATA"]);
  const destination = await registration("aws:cloudwatch/eventApiDestination:EventApiDestination", "given-eventbridge");
  assert.equal(destination.inputs["invocationRateLimitPerSecond"], 5);
});
