import { headerSecret } from "../auth.js";
import { fromEventBridge } from "../payload.js";
import type { Endpoint } from "./endpoint.js";

/** An EventBridge API destination, with its API key in a header (`x-api-key` by default). */
export const eventbridgeEndpoint: Endpoint = {
  name: "eventbridge",
  adapters: ["cloudwatch"],
  authentication(config) {
    const settings = config.eventbridge;
    // No challenge: an API destination's key is not an HTTP authentication scheme.
    return settings ? { kind: "secret", check: headerSecret(settings.headerName, settings.apiKey) } : undefined;
  },
  receive(body) {
    return { kind: "forward", inbound: fromEventBridge(body) };
  },
};
