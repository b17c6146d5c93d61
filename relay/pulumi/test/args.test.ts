import { test } from "node:test";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { checkArgs, INBOUND_SECRET_VARIABLES, OWN_VARIABLES, type PulumiScaleRelayArgs } from "../args";

const valid: PulumiScaleRelayArgs = { githubToken: "t", repository: "acme/infra", inboundSecrets: { RELAY_SHARED_SECRET: "s" } };

const refused: [string, Partial<PulumiScaleRelayArgs>, string][] = [
  ["no GitHub credentials", { githubToken: undefined }, "args.githubToken: set exactly one of githubToken or githubApp"],
  ["both credentials", { githubApp: { appId: "1", privateKey: "k" } }, "args.githubToken: set exactly one of githubToken or githubApp"],
  ["no destination", { repository: undefined }, "args.repository: set the repository to dispatch to (owner/name), or routes"],
  ["an unknown secret", { inboundSecrets: { RELAY_ALERTMANGER_TOKEN: "x" } }, 'args.inboundSecrets.RELAY_ALERTMANGER_TOKEN: expected one of RELAY_ALERTMANAGER_TOKEN,'],
  ["no endpoint", { inboundSecrets: {} }, "args.inboundSecrets: no inbound endpoint is enabled"],
  ["a secret among the settings", { settings: { RELAY_DATADOG_TOKEN: "x" } }, "args.settings.RELAY_DATADOG_TOKEN: is a secret: give it in inboundSecrets"],
  ["a setting the component owns", { settings: { RELAY_METRICS_TOKEN: "x" } }, "args.settings.RELAY_METRICS_TOKEN: is set from the component's own arguments"],
  ["not a relay setting", { settings: { NODE_OPTIONS: "--inspect" } }, 'args.settings.NODE_OPTIONS: expected a RELAY_* variable name (docs/relay.md, "Configuration"), got "NODE_OPTIONS"'],
  ["a timeout inside the GitHub wait", { timeout: 15 }, "args.timeout: expected whole seconds above the relay's longest wait for GitHub (15 s: RELAY_GITHUB_TIMEOUT_MS plus 5 s for a late answer) and at most 900, got 15"],
  ["a timeout inside a longer GitHub deadline", { timeout: 30, settings: { RELAY_GITHUB_TIMEOUT_MS: "25000" } }, "(30 s: RELAY_GITHUB_TIMEOUT_MS plus 5 s for a late answer) and at most 900, got 30"],
  ["a timeout above Lambda's", { timeout: 901 }, "and at most 900, got 901"],
  ["too little memory", { memorySize: 64 }, "args.memorySize: expected whole MB from 128 to 10240, got 64"],
  ["an unknown alarm state", { eventBridge: { states: ["FIRING" as "ALARM"] } }, 'args.eventBridge.states[0]: expected one of ALARM, OK, INSUFFICIENT_DATA, got "FIRING"'],
  ["no alarm names", { eventBridge: { alarmNames: [] } }, "args.eventBridge.alarmNames: expected at least one alarm name, got []"],
  ["a rate EventBridge refuses", { eventBridge: { invocationRateLimitPerSecond: 301 } }, "args.eventBridge.invocationRateLimitPerSecond: expected a whole number from 1 to 300, got 301"],
  ["the EventBridge key twice", { eventBridge: {}, inboundSecrets: { RELAY_EVENTBRIDGE_API_KEY: "x" } }, "args.inboundSecrets.RELAY_EVENTBRIDGE_API_KEY: set by the EventBridge part"],
];

for (const [what, change, message] of refused) {
  test(`refused before deployment: ${what}`, () => {
    assert.throws(() => checkArgs({ ...valid, ...change }), (error: Error) => {
      assert.equal(error.name, "RelayArgsError");
      assert.ok(error.message.startsWith("PulumiScaleRelay "), error.message);
      assert.ok(error.message.includes(message), `${error.message}\ndoes not include\n${message}`);
      return true;
    });
  });
}

test("accepted: SNS topics or EventBridge alone enable an endpoint, and a timeout above the wait", () => {
  checkArgs({ ...valid, inboundSecrets: undefined, settings: { RELAY_SNS_TOPIC_ARNS: "arn:aws:sns:eu-west-1:123456789012:alarms" } });
  checkArgs({ ...valid, inboundSecrets: undefined, eventBridge: {} });
  checkArgs({ ...valid, timeout: 16 });
});

test("every credential docs/relay.md lists is either an inbound secret or set from the component's own arguments", () => {
  const docs = readFileSync(path.join(__dirname, "..", "..", "..", "..", "docs", "relay.md"), "utf8");
  const table = docs.slice(docs.indexOf("## Configuration"), docs.indexOf("### Routing"));
  const credentials = [...new Set(table.match(/RELAY_[A-Z_]+/g))].filter((name) => /TOKEN|SECRET|PASSWORD|USERNAME|API_KEY$|PRIVATE_KEY/.test(name));
  assert.ok(credentials.length >= 15, `found only ${credentials.join(", ")}`);
  const known = [...INBOUND_SECRET_VARIABLES, ...OWN_VARIABLES] as string[];
  assert.deepEqual(credentials.filter((name) => !known.includes(name)), []);
});
