import { createHmac } from "node:crypto";
import { anyOf, basicSecret, bearerSecret, secretsEqual } from "../auth.js";
import type { GrafanaHmac } from "../config.js";
import { describeDuration } from "../config.js";
import { isRecord, routeLabelsOf, withoutKeys, type InboundPayload } from "../payload.js";
import { Refusal } from "../refusal.js";
import { PayloadError } from "../../adapters/signal.js";
import type { CredentialCheck, Endpoint, EndpointContext } from "./endpoint.js";

/**
 * Grafana Alerting's webhook contact point, with a bearer token or basic auth, and, when
 * RELAY_GRAFANA_HMAC_SECRET is set, its HMAC-SHA256 signature of the body checked on every request.
 */
export const grafanaEndpoint: Endpoint = {
  name: "grafana",
  adapters: ["grafana"],
  authentication(config) {
    const auth = config.grafana;
    if (!auth) return undefined;
    const checks: CredentialCheck[] = [
      ...(auth.bearerToken !== undefined ? [bearerSecret(auth.bearerToken)] : []),
      ...(auth.basic ? [basicSecret(auth.basic.username, auth.basic.password)] : []),
    ];
    // With only an HMAC secret, the signature (checked with the body) is the credential.
    const check: CredentialCheck = checks.length > 0 ? anyOf(...checks) : () => true;
    return { kind: "secret", check, challenge: 'Bearer realm="pulumiscale-relay"' };
  },
  receive(body, context) {
    const hmac = context.config.grafana?.hmac;
    if (hmac) checkSignature(hmac, context);
    return { kind: "forward", inbound: fromGrafana(body) };
  },
};

/**
 * Grafana signs the body (or `<timestamp>:<body>` when a timestamp header is configured) with
 * HMAC-SHA256 and sends it as hex. Compared in constant time; nothing secret reaches the answer.
 */
function checkSignature(hmac: GrafanaHmac, { head, rawBody, now }: EndpointContext): void {
  const refuse = (message: string) => new Refusal(401, "unauthorized", message);
  if (!head || !rawBody) throw refuse("the Grafana signature can only be checked on an HTTP request");
  const presented = head.headers[hmac.signatureHeader];
  if (presented === undefined || presented.trim() === "") throw refuse(`missing ${hmac.signatureHeader} header (RELAY_GRAFANA_HMAC_SECRET is set)`);
  let signed: Buffer = rawBody;
  if (hmac.timestampHeader !== undefined) {
    const timestamp = head.headers[hmac.timestampHeader]?.trim();
    if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) {
      throw refuse(`missing or malformed ${hmac.timestampHeader} header: expected Unix seconds (RELAY_GRAFANA_HMAC_TIMESTAMP_HEADER is set)`);
    }
    const ageMs = Math.abs(now().getTime() - Number(timestamp) * 1000);
    if (ageMs > hmac.maxAgeMs) {
      throw refuse(`the signature's timestamp is more than ${describeDuration(hmac.maxAgeMs)} from the relay's clock (RELAY_GRAFANA_HMAC_MAX_AGE)`);
    }
    signed = Buffer.concat([Buffer.from(`${timestamp}:`, "utf8"), rawBody]);
  }
  const expected = createHmac("sha256", hmac.secret).update(signed).digest("hex");
  if (!secretsEqual(presented.trim().toLowerCase(), expected)) throw refuse(`wrong ${hmac.signatureHeader}`);
}

/** Per-alert links the action does not read; Grafana 11+ adds imageURL, which may be long. */
const alertLinks = ["imageURL", "panelURL", "dashboardURL", "silenceURL", "generatorURL"];

export function fromGrafana(body: unknown): InboundPayload {
  if (!isRecord(body)) throw new PayloadError("body", "expected a Grafana webhook contact point body (a JSON object)");
  const message = body;
  return {
    payload: { source: "grafana", grafana: message },
    // Routes match the group's common labels: every alert in the group has them.
    routeLabels: routeLabelsOf(message["commonLabels"]),
    droppable: [
      { what: "the rendered message and title (grafana.message, grafana.title)", drop: (payload) => withoutKeys(payload, ["grafana"], ["message", "title"]) },
      { what: `each alert's ${alertLinks.join(", ")} (grafana.alerts[].*URL)`, drop: (payload) => withoutKeys(payload, ["grafana", "alerts"], alertLinks) },
      { what: "each alert's valueString (grafana.alerts[].valueString)", drop: (payload) => withoutKeys(payload, ["grafana", "alerts"], ["valueString"]) },
    ],
    alertsKey: "grafana",
  };
}
