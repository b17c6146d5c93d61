import { expect } from "@jest/globals";
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { readRelayConfig } from "../../../src/relay/config.js";
import { Relay, type RelayDependencies } from "../../../src/relay/relay.js";
import { createRelayServer, listen } from "../../../src/relay/server.js";
import type { GitHubStandIn } from "./github-stand-in.js";

export const GITHUB_TOKEN = "ghp_relayTestToken0123456789abcdefghijkl";
export const ALERTMANAGER_TOKEN = "am-secret-7f3c9a1e5b2d4c6f8a0b";
export const SHARED_SECRET = "shared-secret-1b2c3d4e5f6a7b8c9d0e";
export const EVENTBRIDGE_KEY = "eventbridge-key-9e8d7c6b5a4f3e2d1c0b";
export const TOPIC_ARN = "arn:aws:sns:us-west-2:123456789012:MyTopic";

/** Every secret the tests configure: none of them may ever appear in a log line. */
export const SECRETS = [GITHUB_TOKEN, ALERTMANAGER_TOKEN, SHARED_SECRET, EVENTBRIDGE_KEY, "basic-password-5a6b7c8d"];

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
}

/** Settings as the container would get them, pointing at the GitHub stand-in. */
export function relayEnv(githubUrl: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    RELAY_GITHUB_API_URL: githubUrl,
    RELAY_GITHUB_TOKEN: GITHUB_TOKEN,
    RELAY_GITHUB_REPOSITORY: "acme/infra",
    RELAY_ALERTMANAGER_TOKEN: ALERTMANAGER_TOKEN,
    RELAY_ALERTMANAGER_USERNAME: "alertmanager",
    RELAY_ALERTMANAGER_PASSWORD: "basic-password-5a6b7c8d",
    RELAY_SHARED_SECRET: SHARED_SECRET,
    RELAY_EVENTBRIDGE_API_KEY: EVENTBRIDGE_KEY,
    RELAY_SNS_TOPIC_ARNS: TOPIC_ARN,
    RELAY_GITHUB_RETRY_BASE_MS: "20",
    RELAY_GITHUB_TIMEOUT_MS: "10000",
    RELAY_MAX_BODY_BYTES: String(256 * 1024),
    ...overrides,
  };
}

export interface RunningRelay {
  readonly relay: Relay;
  readonly url: string;
  readonly logs: string[];
  stop(): Promise<void>;
}

/** Starts the relay's HTTP server on loopback with captured logs. */
export async function startRelay(env: Record<string, string>, deps: RelayDependencies = {}): Promise<RunningRelay> {
  const config = readRelayConfig(env);
  const logs: string[] = [];
  const logger = {
    info: (message: string, fields?: Record<string, unknown>) => logs.push(JSON.stringify({ level: "info", message, ...fields })),
    warn: (message: string, fields?: Record<string, unknown>) => logs.push(JSON.stringify({ level: "warn", message, ...fields })),
    error: (message: string, fields?: Record<string, unknown>) => logs.push(JSON.stringify({ level: "error", message, ...fields })),
  };
  const relay = new Relay(config, { logger, ...deps });
  const server: Server = createRelayServer(relay, config);
  const url = await listen(server, 0, "127.0.0.1");
  return {
    relay,
    url,
    logs,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function post(url: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text, json: () => JSON.parse(text) as Record<string, unknown> };
}

/**
 * After each test: no relay logged a secret, whatever the test did; every relay is stopped; the
 * GitHub stand-in saw only valid requests and is reset for the next test.
 */
export async function settleRelays(relays: RunningRelay[], github: GitHubStandIn): Promise<void> {
  for (const relay of relays) {
    for (const secret of SECRETS) expect(relay.logs.join("\n")).not.toContain(secret);
  }
  await Promise.all(relays.map((relay) => relay.stop()));
  relays.length = 0;
  expect(github.invalid).toEqual([]);
  github.dispatches.length = 0;
  github.requests.length = 0;
  github.dispatchAnswers.length = 0;
}
