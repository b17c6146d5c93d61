// Azure Monitor's secure webhook: an Entra ID bearer token, checked against a local JWKS stand-in
// (the tenant's keys on loopback) for signature, issuer, audience and expiry, over HTTP and
// through the Lambda handler. Claims follow Microsoft identity platform access tokens
// (learn.microsoft.com/entra/identity-platform/access-tokens): iss, aud, exp, nbf, tid.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { readRelayConfig } from "../../src/relay/config.js";
import { createLambdaHandler } from "../../src/relay/lambda.js";
import { GitHubStandIn } from "./support/github-stand-in.js";
import { GITHUB_TOKEN, post, relayEnv, settleRelays, startRelay, type RunningRelay } from "./support/relay.js";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const AUDIENCE = "api://pulumiscale-relay";
const QUERY_TOKEN = "azure-query-token-entra-5f6a7b";
const azureBody = readFileSync(new URL("../fixtures/payloads/azure-monitor/common-alert-schema-metric-resolved.docs.json", import.meta.url), "utf8");
const clock = new Date("2026-12-02T06:00:00Z");
const seconds = clock.getTime() / 1000;

let github: GitHubStandIn;
let jwks: Server;
let jwksUrl = "";
let tenantKey: CryptoKey;
let strangerKey: CryptoKey;
const running: RunningRelay[] = [];

beforeAll(async () => {
  github = new GitHubStandIn(GITHUB_TOKEN);
  await github.start();
  const tenant = await generateKeyPair("RS256");
  const stranger = await generateKeyPair("RS256");
  tenantKey = tenant.privateKey;
  strangerKey = stranger.privateKey;
  const published = { keys: [{ ...(await exportJWK(tenant.publicKey)), kid: "tenant-key-1", alg: "RS256", use: "sig" }] };
  jwks = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(published));
  });
  await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", () => resolve()));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as { port: number }).port}/${TENANT}/discovery/v2.0/keys`;
});

afterEach(() => settleRelays(running, github));

afterAll(async () => {
  await new Promise((resolve) => jwks.close(resolve));
  await github.stop();
});

async function relay(): Promise<RunningRelay> {
  const env = relayEnv(github.url, {
    RELAY_AZURE_MONITOR_TOKEN: QUERY_TOKEN,
    RELAY_AZURE_MONITOR_TENANT_ID: TENANT,
    RELAY_AZURE_MONITOR_AUDIENCE: AUDIENCE,
    RELAY_AZURE_MONITOR_JWKS_URL: jwksUrl,
  });
  const started = await startRelay(env, { now: () => clock });
  running.push(started);
  return started;
}

interface TokenOptions {
  readonly key?: CryptoKey;
  readonly issuer?: string;
  readonly audience?: string;
  readonly expiresAt?: number;
  readonly kid?: string;
}

function token(options: TokenOptions = {}): Promise<string> {
  return new SignJWT({ tid: TENANT, appid: "461e8683-5575-4561-ac7f-899cc907d62a" })
    .setProtectedHeader({ alg: "RS256", kid: options.kid ?? "tenant-key-1", typ: "JWT" })
    .setIssuer(options.issuer ?? `https://sts.windows.net/${TENANT}/`)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt(seconds - 60)
    .setNotBefore(seconds - 60)
    .setExpirationTime(options.expiresAt ?? seconds + 3600)
    .sign(options.key ?? tenantKey);
}

describe("the secure webhook's Entra ID token", () => {
  test.each<[string, () => Promise<string>]>([
    ["a v1 token of the tenant for the audience", () => token()],
    ["a v2 token of the tenant for the audience", () => token({ issuer: `https://login.microsoftonline.com/${TENANT}/v2.0` })],
  ])("forwards the alert with %s", async (_name, make) => {
    const { url } = await relay();
    const response = await post(`${url}/azure-monitor`, azureBody, { authorization: `Bearer ${await make()}` });
    expect(response.status).toBe(200);
    expect(github.dispatches).toHaveLength(1);
  });

  test.each<[string, () => Promise<string>, RegExp]>([
    ["another audience", () => token({ audience: "api://someone-else" }), /"aud" claim is not the expected one/],
    ["another tenant's issuer", () => token({ issuer: "https://sts.windows.net/00000000-0000-0000-0000-000000000000/" }), /"iss" claim is not the expected one/],
    ["an expired token", () => token({ expiresAt: seconds - 600 }), /it has expired/],
    ["a token signed by a key the tenant does not publish", () => token({ key: strangerKey }), /not signed by a key of the tenant/],
    ["a key id the tenant does not publish", () => token({ kid: "unknown" }), /not signed by a key of the tenant/],
    ["text that is no token", async () => "not-a-jwt", /not a valid token/],
  ])("refuses %s with 401 and forwards nothing", async (_name, make, message) => {
    const { url, relay: core } = await relay();
    const presented = await make();
    const response = await post(`${url}/azure-monitor`, azureBody, { authorization: `Bearer ${presented}` });
    expect(response.status).toBe(401);
    expect(String(response.json()["message"])).toMatch(message);
    expect(response.body).not.toContain(presented);
    expect(github.requests).toHaveLength(0);
    expect(core.metrics.rejected.get({ endpoint: "azure-monitor", reason: "unauthorized" })).toBe(1);
  });

  test("refuses a request with neither the token nor ?token= before reading its body", async () => {
    const { url } = await relay();
    expect((await post(`${url}/azure-monitor`, azureBody)).status).toBe(401);
  });

  test("still takes the plain webhook's ?token= when the secure webhook is configured too", async () => {
    const { url, logs } = await relay();
    expect((await post(`${url}/azure-monitor?token=${QUERY_TOKEN}`, azureBody)).status).toBe(200);
    expect(logs.join("\n")).not.toContain(QUERY_TOKEN);
  });

  test("answers 503, so Azure retries, when the tenant's keys cannot be fetched", async () => {
    const env = relayEnv(github.url, {
      RELAY_AZURE_MONITOR_TENANT_ID: TENANT,
      RELAY_AZURE_MONITOR_AUDIENCE: AUDIENCE,
      RELAY_AZURE_MONITOR_JWKS_URL: "http://127.0.0.1:9/keys",
    });
    const started = await startRelay(env, { now: () => clock });
    running.push(started);
    const response = await post(`${started.url}/azure-monitor`, azureBody, { authorization: `Bearer ${await token()}` });
    expect(response.status).toBe(503);
    expect(response.json()).toMatchObject({ error: "jwks_unavailable" });
  });

  test("works the same through the Lambda handler", async () => {
    const started = await relay();
    const handler = createLambdaHandler(() => started.relay);
    const event = (authorization: string) => ({
      version: "2.0",
      rawPath: "/azure-monitor",
      rawQueryString: "",
      headers: { authorization, "content-type": "application/json" },
      requestContext: { http: { method: "POST", path: "/azure-monitor" } },
      body: azureBody,
      isBase64Encoded: false,
    });
    expect(await handler(event(`Bearer ${await token()}`))).toMatchObject({ statusCode: 200 });
    expect(await handler(event(`Bearer ${await token({ audience: "api://other" })}`))).toMatchObject({ statusCode: 401 });
  });

  test.each<[string, Record<string, string>, RegExp]>([
    ["a tenant without an audience", { RELAY_AZURE_MONITOR_TENANT_ID: TENANT }, /RELAY_AZURE_MONITOR_AUDIENCE: the secure webhook needs both/],
    ["a tenant that is no GUID", { RELAY_AZURE_MONITOR_TENANT_ID: "contoso.onmicrosoft.com", RELAY_AZURE_MONITOR_AUDIENCE: AUDIENCE }, /RELAY_AZURE_MONITOR_TENANT_ID: expected the directory \(tenant\) ID, a GUID/],
  ])("refuses to start with %s", (_name, settings, message) => {
    expect(() => readRelayConfig({ RELAY_GITHUB_TOKEN: "t", RELAY_GITHUB_REPOSITORY: "a/b", ...settings })).toThrow(message);
  });

  test("defaults to the tenant's published keys and both of its issuers", () => {
    const config = readRelayConfig({ RELAY_GITHUB_TOKEN: "t", RELAY_GITHUB_REPOSITORY: "a/b", RELAY_AZURE_MONITOR_TENANT_ID: TENANT, RELAY_AZURE_MONITOR_AUDIENCE: AUDIENCE });
    expect(config.azureMonitor).toEqual({
      entraId: {
        tenantId: TENANT,
        audience: AUDIENCE,
        jwksUrl: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`,
        issuers: [`https://sts.windows.net/${TENANT}/`, `https://login.microsoftonline.com/${TENANT}/v2.0`],
      },
    });
  });
});
