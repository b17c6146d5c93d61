// Logs are one JSON object per line with time, level, request id, endpoint and outcome.
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { readRelayConfig } from "../../src/relay/config.js";
import { jsonLogger } from "../../src/relay/log.js";
import { Relay } from "../../src/relay/relay.js";
import { GitHubStandIn } from "./support/github-stand-in.js";
import { ALERTMANAGER_TOKEN, GITHUB_TOKEN, SECRETS, SHARED_SECRET, fixture, relayEnv } from "./support/relay.js";

let github: GitHubStandIn;
beforeAll(async () => {
  github = new GitHubStandIn(GITHUB_TOKEN);
  await github.start();
});
afterAll(() => github.stop());

test("every request's line has time, level, requestId, endpoint and outcome, and no secret", async () => {
  const lines: string[] = [];
  const relay = new Relay(readRelayConfig(relayEnv(github.url)), { logger: jsonLogger((line) => lines.push(line)) });
  const requests = [
    { method: "POST", path: "/alertmanager", headers: { authorization: `Bearer ${ALERTMANAGER_TOKEN}` }, body: Buffer.from(fixture("alertmanager-0.25.0-firing.raw.json")) },
    { method: "POST", path: "/alertmanager?token=x", headers: {}, body: Buffer.from("{}") },
    { method: "POST", path: "/dispatch", headers: { authorization: `Bearer ${SHARED_SECRET}` }, body: Buffer.from("{") },
    { method: "GET", path: "/dispatch", headers: {}, body: Buffer.alloc(0) },
  ];
  const answers = [];
  for (const request of requests) answers.push(await relay.handle(request));
  expect(answers.map((answer) => answer.status)).toEqual([200, 401, 400, 405]);

  const text = lines.join("");
  expect(text.endsWith("\n")).toBe(true);
  const entries = text.trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(entries).toHaveLength(requests.length);
  for (const [index, entry] of entries.entries()) {
    expect(Number.isNaN(Date.parse(String(entry["time"])))).toBe(false);
    expect(["info", "warn"]).toContain(entry["level"]);
    expect(entry["requestId"]).toBe((JSON.parse(answers[index]!.body) as { requestId: string }).requestId);
    expect(["alertmanager", "dispatch"]).toContain(entry["endpoint"]);
    expect(["forwarded", "refused"]).toContain(entry["outcome"]);
  }
  for (const secret of [...SECRETS, "token=x"]) expect(text).not.toContain(secret);
});
