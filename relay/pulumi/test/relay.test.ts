import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { relayCode } from "../code";
import { plainText, registered, registration, secretValue, valueOf } from "./mocks";
import { PulumiScaleRelay, type PulumiScaleRelayArgs } from "../index";

// The committed bundle, seen from build/test/.
const bundle = path.join(__dirname, "..", "..", "..", "..", "dist", "relay", "lambda.mjs");
const GITHUB_TOKEN = "github_pat_do-not-show-1";
const ALERTMANAGER_TOKEN = "alertmanager-do-not-show-2";

const FUNCTION = "aws:lambda/function:Function";
const PERMISSION = "aws:lambda/permission:Permission";
const PASSWORD = "random:index/randomPassword:RandomPassword";

function relay(name: string, extra: Partial<PulumiScaleRelayArgs> = {}): PulumiScaleRelay {
  return new PulumiScaleRelay(name, {
    githubToken: GITHUB_TOKEN,
    repository: "acme/web-infra",
    stack: "acme/web/prod",
    inboundSecrets: { RELAY_ALERTMANAGER_TOKEN: ALERTMANAGER_TOKEN },
    settings: { RELAY_SNS_MAX_AGE: "30m" },
    lambdaBundle: bundle,
    ...extra,
  });
}

/** The function's variables; the environment as a whole must reach the engine as a secret. */
function variablesOf(fn: { inputs: Record<string, unknown> }): Record<string, string> {
  return (secretValue(fn.inputs["environment"]) as { variables: Record<string, string> }).variables;
}

test("the relay is a Node.js 24 Lambda function with handler lambda.handler", async () => {
  relay("fn");
  const fn = await registration(FUNCTION, "fn-relay");
  assert.equal(fn.inputs["runtime"], "nodejs24.x");
  assert.equal(fn.inputs["handler"], "lambda.handler");
  assert.equal(fn.inputs["timeout"], 20, "above the relay's 10 s GitHub deadline plus its 5 s grace for a late answer");
  assert.equal(fn.inputs["memorySize"], 256);
  const logGroup = await registration("aws:cloudwatch/logGroup:LogGroup", "fn-logs");
  assert.equal(logGroup.inputs["retentionInDays"], 30);
  assert.deepEqual(fn.inputs["loggingConfig"], { logFormat: "Text", logGroup: "fn-logs" });
});

test("the code is the bundle as lambda.mjs, with its licence notices", async () => {
  const assets = (await relayCode(bundle).assets) as Record<string, pulumi.asset.FileAsset>;
  assert.deepEqual(Object.keys(assets).sort(), ["lambda.mjs", "lambda.mjs.LEGAL.txt"]);
  assert.equal(await assets["lambda.mjs"]!.path, bundle);
  assert.equal(await assets["lambda.mjs.LEGAL.txt"]!.path, `${bundle}.LEGAL.txt`);
});

test("a missing bundle fails before deployment, naming the field and the path", () => {
  assert.throws(() => relay("nobundle", { lambdaBundle: "/nowhere/lambda.mjs" }), {
    message: 'PulumiScaleRelay args.lambdaBundle: expected the relay\'s Lambda bundle (npm run build:relay makes dist/relay/lambda.mjs), got "/nowhere/lambda.mjs", which does not exist',
  });
});

test("the Function URL has auth NONE, with both statements a public URL needs", async () => {
  const component = relay("url");
  const url = await registration("aws:lambda/functionUrl:FunctionUrl", "url-url");
  assert.equal(url.inputs["authorizationType"], "NONE");
  const statements = await Promise.all([registration(PERMISSION, "url-url-public"), registration(PERMISSION, "url-url-invoke")]);
  assert.deepEqual(
    statements.map((p) => [p.inputs["action"], p.inputs["principal"], p.inputs["functionUrlAuthType"], p.inputs["invokedViaFunctionUrl"]]),
    [
      ["lambda:InvokeFunctionUrl", "*", "NONE", undefined],
      ["lambda:InvokeFunction", "*", undefined, true],
    ],
  );
  assert.equal(await valueOf(component.url), "https://url-url.lambda-url.eu-west-1.on.aws/");
});

test("the environment holds the relay's settings, and RELAY_METRICS_TOKEN is always set", async () => {
  const component = relay("env");
  const fn = await registration(FUNCTION, "env-relay");
  const variables = variablesOf(fn);
  assert.deepEqual(Object.keys(variables).sort(), [
    "NODE_OPTIONS",
    "RELAY_ALERTMANAGER_TOKEN",
    "RELAY_GITHUB_REPOSITORY",
    "RELAY_GITHUB_TOKEN",
    "RELAY_METRICS_TOKEN",
    "RELAY_SNS_MAX_AGE",
    "RELAY_STACK",
  ]);
  assert.equal(variables["RELAY_GITHUB_REPOSITORY"], "acme/web-infra");
  assert.equal(variables["RELAY_STACK"], "acme/web/prod");
  const generated = await registration(PASSWORD, "env-metrics-token");
  assert.equal(generated.inputs["length"], 48);
  assert.equal(variables["RELAY_METRICS_TOKEN"], "generated-env-metrics-token");
  assert.equal(await valueOf(component.metricsToken), "generated-env-metrics-token");
});

test("a given metrics token is used, and none is generated", async () => {
  relay("given", { metricsToken: "metrics-do-not-show-3" });
  const fn = await registration(FUNCTION, "given-relay");
  assert.equal(variablesOf(fn)["RELAY_METRICS_TOKEN"], "metrics-do-not-show-3");
  assert.equal(registered.filter((r) => r.type === PASSWORD && r.name.startsWith("given-")).length, 0);
});

test("a GitHub App's credentials and the routing table become the relay's variables", async () => {
  relay("app", {
    githubToken: undefined,
    githubApp: { appId: "123456", privateKey: "-----BEGIN RSA PRIVATE KEY-----\nkey-do-not-show-4", installationId: "42" },
    repository: undefined,
    stack: undefined,
    routes: [{ match: { alarm_name: "batch-*" }, repository: "acme/batch-infra", stack: "acme/batch/prod" }],
  });
  const variables = variablesOf(await registration(FUNCTION, "app-relay"));
  assert.equal(variables["RELAY_GITHUB_APP_ID"], "123456");
  assert.equal(variables["RELAY_GITHUB_APP_INSTALLATION_ID"], "42");
  assert.equal(variables["RELAY_GITHUB_TOKEN"], undefined);
  assert.deepEqual(JSON.parse(variables["RELAY_ROUTES"]!), [{ match: { alarm_name: "batch-*" }, repository: "acme/batch-infra", stack: "acme/batch/prod" }]);
});

test("no secret is in plain text: each reaches the engine as a Pulumi secret, so the state holds it encrypted", async () => {
  const component = relay("secret", { metricsToken: "metrics-do-not-show-5" });
  const all = await Promise.all([
    registration("aws:iam/role:Role", "secret-lambda"),
    registration("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "secret-logs"),
    registration("aws:cloudwatch/logGroup:LogGroup", "secret-logs"),
    registration(FUNCTION, "secret-relay"),
    registration("aws:lambda/functionUrl:FunctionUrl", "secret-url"),
    registration(PERMISSION, "secret-url-public"),
    registration(PERMISSION, "secret-url-invoke"),
  ]);
  for (const resource of all) {
    const text = plainText(resource.inputs);
    for (const value of [GITHUB_TOKEN, ALERTMANAGER_TOKEN, "metrics-do-not-show-5"]) {
      assert.ok(!text.includes(value), `${resource.type} ${resource.name} holds a secret in plain text: ${text}`);
    }
  }
  assert.equal(await pulumi.isSecret(component.metricsToken), true);
});

test("without eventBridge, no EventBridge resource is created", async () => {
  relay("plain");
  await registration(FUNCTION, "plain-relay");
  await registration(PERMISSION, "plain-url-invoke");
  assert.deepEqual(registered.filter((r) => r.name.startsWith("plain-") && r.type.startsWith("aws:cloudwatch/event")), []);
});
