import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { generateKeyPairSync } from "node:crypto";
import { GitHubStandIn } from "./support/github-stand-in.js";
import { SHARED_SECRET, post, startRelay, type RunningRelay } from "./support/relay.js";

/** GitHub App credentials: the relay signs a JWT, finds the installation, and dispatches with its token. */

let github: GitHubStandIn;
let running: RunningRelay;
let privateKey: string;

beforeAll(async () => {
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  privateKey = pair.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  github = new GitHubStandIn("ghs_standinInstallationToken000000000000");
  github.appPublicKey = pair.publicKey.export({ type: "spki", format: "pem" }).toString();
  await github.start();
  running = await startRelay({
    RELAY_GITHUB_API_URL: github.url,
    RELAY_GITHUB_APP_ID: "1",
    RELAY_GITHUB_APP_PRIVATE_KEY: privateKey,
    RELAY_GITHUB_REPOSITORY: "acme/infra",
    RELAY_SHARED_SECRET: SHARED_SECRET,
  });
});

afterAll(async () => {
  await running.stop();
  await github.stop();
});

test("dispatches with an installation token, looked up once and then cached", async () => {
  for (const delta of [1, 2]) {
    const response = await post(`${running.url}/dispatch`, JSON.stringify({ target: "workers", delta }), { authorization: `Bearer ${SHARED_SECRET}` });
    expect(response.status).toBe(200);
  }
  expect(github.invalid).toEqual([]);
  expect(github.requests.map((request) => request.operation)).toEqual([
    "apps/get-repo-installation",
    "apps/create-installation-access-token",
    "repos/create-dispatch-event",
    "repos/create-dispatch-event",
  ]);
  expect(github.requests[1]!.path).toBe(`/app/installations/${github.installationId}/access_tokens`);
  expect(github.dispatches).toHaveLength(2);
  const logs = running.logs.join("\n");
  expect(logs).not.toContain(github.installationToken);
  expect(logs).not.toContain("PRIVATE KEY");
});
