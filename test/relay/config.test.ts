import { describe, expect, test } from "@jest/globals";
import { readRelayConfig } from "../../src/relay/config.js";

const minimal = { RELAY_GITHUB_TOKEN: "t", RELAY_GITHUB_REPOSITORY: "acme/infra", RELAY_SHARED_SECRET: "s" };

describe("relay settings", () => {
  test("defaults", () => {
    const config = readRelayConfig(minimal);
    expect(config).toMatchObject({
      github: { apiUrl: "https://api.github.com", credentials: { type: "token", token: "t" }, timeoutMs: 10_000, maxAttempts: 5 },
      defaultRoute: { repository: "acme/infra", eventType: "pulumiscale" },
      routes: [],
      maxBodyBytes: 1024 * 1024,
      port: 8080,
    });
    expect(config.alertmanager).toBeUndefined();
    expect(config.sns).toBeUndefined();
  });

  test("SNS messages may be an hour old unless RELAY_SNS_MAX_AGE says otherwise", () => {
    const topic = { ...minimal, RELAY_SNS_TOPIC_ARNS: "arn:aws:sns:us-west-2:123456789012:MyTopic" };
    expect(readRelayConfig(topic).sns).toEqual({ topicArns: ["arn:aws:sns:us-west-2:123456789012:MyTopic"], maxMessageAgeMs: 3_600_000 });
    expect(readRelayConfig({ ...topic, RELAY_SNS_MAX_AGE: "15m" }).sns?.maxMessageAgeMs).toBe(900_000);
    expect(readRelayConfig({ ...topic, RELAY_SNS_MAX_AGE: "90s" }).sns?.maxMessageAgeMs).toBe(90_000);
    expect(readRelayConfig({ ...topic, RELAY_SNS_MAX_AGE: " 6h " }).sns?.maxMessageAgeMs).toBe(21_600_000);
    expect(readRelayConfig({ ...topic, RELAY_SNS_MAX_AGE: "7d" }).sns?.maxMessageAgeMs).toBe(604_800_000);
  });

  test("GitHub App credentials, with a PEM whose newlines were escaped", () => {
    const config = readRelayConfig({
      RELAY_GITHUB_REPOSITORY: "acme/infra",
      RELAY_SHARED_SECRET: "s",
      RELAY_GITHUB_APP_ID: "123",
      RELAY_GITHUB_APP_PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\\nabc\\n-----END RSA PRIVATE KEY-----",
      RELAY_GITHUB_APP_INSTALLATION_ID: "456",
    });
    expect(config.github.credentials).toEqual({
      type: "app",
      appId: "123",
      privateKey: "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----",
      installationId: 456,
    });
  });

  test.each<[string, Record<string, string>, RegExp]>([
    ["no credentials", { RELAY_GITHUB_REPOSITORY: "acme/infra", RELAY_SHARED_SECRET: "s" }, /RELAY_GITHUB_TOKEN: no GitHub credentials/],
    ["both a token and an App", { ...minimal, RELAY_GITHUB_APP_ID: "1" }, /either a token or GitHub App/],
    ["no destination", { RELAY_GITHUB_TOKEN: "t", RELAY_SHARED_SECRET: "s" }, /RELAY_GITHUB_REPOSITORY: no destination/],
    ["no inbound endpoint", { RELAY_GITHUB_TOKEN: "t", RELAY_GITHUB_REPOSITORY: "acme/infra" }, /no inbound endpoint is enabled/],
    ["a bad repository", { ...minimal, RELAY_GITHUB_REPOSITORY: "acme" }, /expected a repository as owner\/name, got text of 4 characters \(not shown\)/],
    ["a long event type", { ...minimal, RELAY_EVENT_TYPE: "x".repeat(101) }, /RELAY_EVENT_TYPE: expected an event type of 1 to 100/],
    ["a bad topic ARN", { ...minimal, RELAY_SNS_TOPIC_ARNS: "MyTopic" }, /RELAY_SNS_TOPIC_ARNS: expected comma-separated topic ARNs/],
    ["an SNS maximum age without a unit", { ...minimal, RELAY_SNS_MAX_AGE: "3600" }, /RELAY_SNS_MAX_AGE: expected a duration such as 15m, 1h or 1d, from 1m to 7d, got text of 4 characters/],
    ["an SNS maximum age in words", { ...minimal, RELAY_SNS_MAX_AGE: "1 hour" }, /RELAY_SNS_MAX_AGE: expected a duration .* got text of 6 characters/],
    ["an SNS maximum age under a minute", { ...minimal, RELAY_SNS_MAX_AGE: "30s" }, /RELAY_SNS_MAX_AGE: expected a duration .* from 1m to 7d, got text/],
    ["an SNS maximum age over a week", { ...minimal, RELAY_SNS_MAX_AGE: "8d" }, /RELAY_SNS_MAX_AGE: expected a duration .* from 1m to 7d, got text/],
    ["half of basic auth", { ...minimal, RELAY_ALERTMANAGER_USERNAME: "am" }, /RELAY_ALERTMANAGER_PASSWORD: basic auth needs both/],
    ["routes that are not JSON", { ...minimal, RELAY_ROUTES: "[{" }, /RELAY_ROUTES: expected a JSON array of routes; the value is not valid JSON/],
    ["a route without a repository", { ...minimal, RELAY_ROUTES: '[{"match":{"stack":"prod"}}]' }, /RELAY_ROUTES\[0\]\.repository/],
    ["a route with a bad stack", { ...minimal, RELAY_ROUTES: '[{"match":{},"repository":"a/b","stack":"prod"}]' }, /RELAY_ROUTES\[0\]\.stack: expected a stack as organization\/project\/stack/],
    ["a port out of range", { ...minimal, RELAY_PORT: "70000" }, /RELAY_PORT: expected a whole number from 0 to 65535, got text of 5 characters/],
    ["an App key that is not PEM", { RELAY_GITHUB_REPOSITORY: "a/b", RELAY_SHARED_SECRET: "s", RELAY_GITHUB_APP_ID: "1", RELAY_GITHUB_APP_PRIVATE_KEY: "abc" }, /RELAY_GITHUB_APP_PRIVATE_KEY/],
  ])("%s is refused with a message naming the variable", (_, env, message) => {
    expect(() => readRelayConfig(env)).toThrow(message);
  });

  // Issue 12: RELAY_SNS_TOPIC_ARNS=<secret> printed the secret. No rejected value is ever echoed.
  test.each([
    "RELAY_SNS_TOPIC_ARNS",
    "RELAY_GITHUB_REPOSITORY",
    "RELAY_GITHUB_API_URL",
    "RELAY_PORT",
    "RELAY_MAX_BODY_BYTES",
    "RELAY_SNS_MAX_AGE",
    "RELAY_EVENT_TYPE",
    "RELAY_STACK",
    "RELAY_GITHUB_APP_INSTALLATION_ID",
    "RELAY_EVENTBRIDGE_API_KEY_HEADER",
    "RELAY_HEADERS_TIMEOUT_MS",
    "RELAY_MAX_CONNECTIONS",
  ])("a secret pasted into %s is refused without being shown", (variable) => {
    const secret = "ghp_pastedIntoTheWrongVariable_0123456789abcdef".repeat(variable === "RELAY_EVENT_TYPE" ? 3 : 1);
    const env = { ...minimal, RELAY_GITHUB_APP_PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----", [variable]: secret };
    if (variable === "RELAY_GITHUB_APP_INSTALLATION_ID") Object.assign(env, { RELAY_GITHUB_TOKEN: "", RELAY_GITHUB_APP_ID: "1" });
    let message = "";
    try {
      readRelayConfig(env);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(variable);
    expect(message).not.toContain(secret);
    expect(message).not.toContain(secret.slice(0, 12));
  });

  test("errors never quote a secret", () => {
    const secret = "ghp_secretValue123";
    expect(() => readRelayConfig({ RELAY_GITHUB_TOKEN: secret, RELAY_GITHUB_APP_ID: "1" })).toThrow(expect.objectContaining({ message: expect.not.stringContaining(secret) }));
  });
});
