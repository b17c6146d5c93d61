import { anyOf, basicSecret, bearerSecret } from "../auth.js";
import { fromAlertmanager } from "../payload.js";
import type { CredentialCheck, Endpoint } from "./endpoint.js";

/** Alertmanager's `webhook_config`, with a bearer token or basic auth (either, when both are set). */
export const alertmanagerEndpoint: Endpoint = {
  name: "alertmanager",
  adapters: ["alertmanager"],
  authentication(config) {
    const auth = config.alertmanager;
    if (!auth) return undefined;
    const checks: CredentialCheck[] = [
      ...(auth.bearerToken !== undefined ? [bearerSecret(auth.bearerToken)] : []),
      ...(auth.basic ? [basicSecret(auth.basic.username, auth.basic.password)] : []),
    ];
    return { kind: "secret", check: anyOf(...checks), challenge: 'Bearer realm="pulumiscale-relay"' };
  },
  receive(body) {
    return { kind: "forward", inbound: fromAlertmanager(body) };
  },
};
