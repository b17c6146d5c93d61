import { bearerSecret } from "../auth.js";
import { fromGenericRequest } from "../payload.js";
import type { Endpoint } from "./endpoint.js";

/** Delta and count requests from people and scripts, with `Authorization: Bearer <RELAY_SHARED_SECRET>`. */
export const dispatchEndpoint: Endpoint = {
  name: "dispatch",
  adapters: ["count", "delta"],
  authentication(config) {
    const secret = config.sharedSecret;
    return secret !== undefined ? { kind: "secret", check: bearerSecret(secret), challenge: 'Bearer realm="pulumiscale-relay"' } : undefined;
  },
  receive(body) {
    return { kind: "forward", inbound: fromGenericRequest(body) };
  },
};
