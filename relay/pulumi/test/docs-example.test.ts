import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { registration, secretValue, valueOf } from "./mocks";
import { PulumiScaleRelay } from "../index";

// docs/relay.md, "Deploy with Pulumi": the example program, with config values given as secrets.
test("the documented example deploys", async () => {
  const alarms = new aws.sns.Topic("scaling-alarms");
  const relay = new PulumiScaleRelay("pulumiscale", {
    githubToken: pulumi.secret("github_pat_example"),
    repository: "acme/web-infra",
    stack: "acme/web/prod",
    inboundSecrets: { RELAY_ALERTMANAGER_TOKEN: pulumi.secret("alertmanager-example") },
    settings: { RELAY_SNS_TOPIC_ARNS: alarms.arn },
    eventBridge: { alarmNames: ["jobs-backlog-high"], states: ["ALARM", "OK"] },
    lambdaBundle: path.join(__dirname, "..", "..", "..", "..", "dist", "relay", "lambda.mjs"),
  });
  const fn = await registration("aws:lambda/function:Function", "pulumiscale-relay");
  const variables = (secretValue(fn.inputs["environment"]) as { variables: Record<string, string> }).variables;
  assert.equal(variables["RELAY_SNS_TOPIC_ARNS"], "arn:aws:mock:eu-west-1:123456789012:scaling-alarms");
  assert.equal(await valueOf(relay.url), "https://pulumiscale-url.lambda-url.eu-west-1.on.aws/");
  await registration("aws:cloudwatch/eventTarget:EventTarget", "pulumiscale-to-relay");
});
