import { bearerSecret } from "../auth.js";
import { isRecord, routeLabelsOf, type InboundPayload } from "../payload.js";
import { PayloadError } from "../../adapters/signal.js";
import type { Endpoint } from "./endpoint.js";

/**
 * A Datadog webhook, for users who prefer the relay to calling GitHub's dispatch API directly.
 * It takes the same payload template (a dispatch body whose client_payload holds `datadog`) or
 * the `datadog` object alone.
 */
export const datadogEndpoint: Endpoint = {
  name: "datadog",
  adapters: ["datadog"],
  authentication(config) {
    const settings = config.datadog;
    return settings ? { kind: "secret", check: bearerSecret(settings.bearerToken), challenge: 'Bearer realm="pulumiscale-relay"' } : undefined;
  },
  receive(body) {
    return { kind: "forward", inbound: fromDatadog(body) };
  },
};

export function fromDatadog(body: unknown): InboundPayload {
  if (!isRecord(body)) throw new PayloadError("body", "expected a Datadog webhook body (a JSON object)");
  const clientPayload = isRecord(body["client_payload"]) ? body["client_payload"] : undefined;
  // Anything else, Datadog's default body included, is handed to the adapter, which says what to send.
  const notification = clientPayload && clientPayload["datadog"] !== undefined ? clientPayload["datadog"] : body;
  const stack = clientPayload?.["stack"];
  return {
    payload: { source: "datadog", datadog: notification, ...(stack === undefined ? {} : { stack }) },
    routeLabels: isRecord(notification) ? routeLabelsOf({ monitor_id: notification["alert_id"] }) : {},
  };
}
