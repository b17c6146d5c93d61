import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from "jose";
import { bearerToken, querySecret } from "../auth.js";
import type { AzureMonitorAuth, EntraIdSettings } from "../config.js";
import { isRecord, routeLabelsOf, withoutKeys, type InboundPayload } from "../payload.js";
import { Refusal } from "../refusal.js";
import { PayloadError } from "../../adapters/signal.js";
import type { CredentialCheck, Endpoint, EndpointContext } from "./endpoint.js";

/**
 * An Azure Monitor action group's webhook, in the common alert schema. A plain webhook action
 * cannot send headers, so its secret is the URL's `?token=`; the relay never logs or echoes it.
 * The secure webhook sends an Entra ID bearer token instead, verified once the head is accepted.
 */
export const azureMonitorEndpoint: Endpoint = {
  name: "azure-monitor",
  adapters: ["azure-monitor"],
  authentication(config) {
    const auth = config.azureMonitor;
    if (!auth) return undefined;
    const token = queryTokenCheck(auth);
    // A bearer token is only plausible here; its signature needs the tenant's keys (receive).
    const check: CredentialCheck = (head) => token(head) || (auth.entraId !== undefined && bearerToken(head.headers["authorization"]) !== undefined);
    return { kind: "secret", check, ...(auth.entraId ? { challenge: 'Bearer realm="pulumiscale-relay"' } : {}) };
  },
  async receive(body, context) {
    const auth = context.config.azureMonitor;
    if (auth?.entraId && !(context.head && queryTokenCheck(auth)(context.head))) await verifyEntraIdToken(auth.entraId, context);
    return { kind: "forward", inbound: fromAzureMonitor(body) };
  },
};

function queryTokenCheck(auth: AzureMonitorAuth): CredentialCheck {
  return auth.queryToken === undefined ? () => false : querySecret("token", auth.queryToken);
}

// One key set per URL, so the tenant's keys are fetched once and refreshed by jose as they rotate.
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/**
 * Checks the secure webhook's Entra ID token: signed by a key of the tenant's JWKS, issued by the
 * tenant (v1 or v2 issuer), for the configured audience, and not expired. The answer says which
 * check failed, never the token.
 */
async function verifyEntraIdToken(settings: EntraIdSettings, { head, now }: EndpointContext): Promise<void> {
  const token = bearerToken(head?.headers["authorization"]);
  if (token === undefined) throw new Refusal(401, "unauthorized", "missing or wrong credentials", { "www-authenticate": 'Bearer realm="pulumiscale-relay"' });
  let keys = keySets.get(settings.jwksUrl);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(settings.jwksUrl));
    keySets.set(settings.jwksUrl, keys);
  }
  try {
    await jwtVerify(token, keys, { issuer: [...settings.issuers], audience: settings.audience, currentDate: now(), algorithms: ["RS256"] });
  } catch (error) {
    // Anything but a JOSE error (fetch's own TypeError, from whichever realm) means the tenant's
    // keys could not be fetched: Azure retries, and the next attempt may succeed.
    if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid || !(error instanceof joseErrors.JOSEError)) {
      throw new Refusal(503, "jwks_unavailable", "the tenant's signing keys (RELAY_AZURE_MONITOR_JWKS_URL) could not be fetched; try again");
    }
    throw new Refusal(401, "unauthorized", `the Entra ID token was refused: ${entraIdProblem(error)}`, { "www-authenticate": 'Bearer realm="pulumiscale-relay", error="invalid_token"' });
  }
}

/** What was wrong with a token, in words, from jose's error codes (its messages quote no token). */
function entraIdProblem(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "it has expired";
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `its "${error.claim}" claim is not the expected one (RELAY_AZURE_MONITOR_TENANT_ID, RELAY_AZURE_MONITOR_AUDIENCE)`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey) return "it is not signed by a key of the tenant";
  return "it is not a valid token";
}

/** alertContext fields the adapter reads; the rest differ by signal type and are informative. */
const readContext = ["condition", "conditionType", "ResultCount", "Threshold"];

export function fromAzureMonitor(body: unknown): InboundPayload {
  if (!isRecord(body)) throw new PayloadError("body", "expected an Azure Monitor alert in the common alert schema (a JSON object)");
  const essentials = isRecord(body["data"]) && isRecord(body["data"]["essentials"]) ? body["data"]["essentials"] : {};
  const routeLabels = routeLabelsOf({ alert_rule: essentials["alertRule"], severity: essentials["severity"] });
  return {
    payload: { source: "azure-monitor", "azure-monitor": body },
    routeLabels,
    droppable: [
      // Log search alerts (API 2018-04-16) carry their results, up to 256 KB.
      { what: 'the log search results (["azure-monitor"].data.alertContext.SearchResults)', drop: (payload) => withoutKeys(payload, ["azure-monitor", "data", "alertContext"], ["SearchResults"]) },
      {
        what: `the rest of the alert context but ${readContext.join(", ")} (["azure-monitor"].data.alertContext)`,
        drop: (payload) => {
          const alert = payload["azure-monitor"];
          const data = isRecord(alert) && isRecord(alert["data"]) ? alert["data"] : undefined;
          const context = data && isRecord(data["alertContext"]) ? data["alertContext"] : undefined;
          if (!alert || !data || !context) return payload;
          const kept = Object.fromEntries(Object.entries(context).filter(([key]) => readContext.includes(key)));
          return { ...payload, "azure-monitor": { ...alert, data: { ...data, alertContext: kept } } };
        },
      },
    ],
  };
}
