import { anyOf, basicSecret, querySecret } from "../auth.js";
import { isRecord, routeLabelsOf, withoutKeys, type InboundPayload } from "../payload.js";
import { PayloadError } from "../../adapters/signal.js";
import type { CredentialCheck, Endpoint } from "./endpoint.js";

/**
 * A Cloud Monitoring webhook notification channel: the token-authentication channel sends the
 * secret as `?token=` in the URL, the basic-authentication channel as basic auth.
 */
export const googleCloudMonitoringEndpoint: Endpoint = {
  name: "google-cloud-monitoring",
  adapters: ["google-cloud-monitoring"],
  authentication(config) {
    const auth = config.googleCloudMonitoring;
    if (!auth) return undefined;
    const checks: CredentialCheck[] = [
      ...(auth.queryToken !== undefined ? [querySecret("token", auth.queryToken)] : []),
      ...(auth.basic ? [basicSecret(auth.basic.username, auth.basic.password)] : []),
    ];
    return { kind: "secret", check: anyOf(...checks), ...(auth.basic ? { challenge: 'Basic realm="pulumiscale-relay"' } : {}) };
  },
  receive(body) {
    return { kind: "forward", inbound: fromGoogleCloudMonitoring(body) };
  },
};

export function fromGoogleCloudMonitoring(body: unknown): InboundPayload {
  if (!isRecord(body)) throw new PayloadError("body", "expected a Cloud Monitoring webhook notification (a JSON object)");
  const incident = isRecord(body["incident"]) ? body["incident"] : {};
  return {
    payload: { source: "google-cloud-monitoring", "google-cloud-monitoring": body },
    routeLabels: { ...routeLabelsOf(incident["policy_user_labels"]), ...routeLabelsOf({ policy_name: incident["policy_name"] }) },
    droppable: [
      { what: 'the policy\'s documentation (["google-cloud-monitoring"].incident.documentation)', drop: (payload) => withoutKeys(payload, ["google-cloud-monitoring", "incident"], ["documentation"]) },
    ],
  };
}
