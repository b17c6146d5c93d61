import { querySecret } from "../auth.js";
import { routeLabelsOf, withoutKeys, type InboundPayload } from "../payload.js";
import { PayloadError } from "../../adapters/signal.js";
import type { Endpoint } from "./endpoint.js";

/**
 * An Azure Monitor action group's webhook, in the common alert schema. A plain webhook action
 * cannot send headers, so the secret is the URL's `?token=`; the relay never logs or echoes it.
 */
export const azureMonitorEndpoint: Endpoint = {
  name: "azure-monitor",
  adapters: ["azure-monitor"],
  authentication(config) {
    const settings = config.azureMonitor;
    return settings ? { kind: "secret", check: querySecret("token", settings.queryToken) } : undefined;
  },
  receive(body) {
    return { kind: "forward", inbound: fromAzureMonitor(body) };
  },
};

/** alertContext fields the adapter reads; the rest differ by signal type and are informative. */
const readContext = ["condition", "conditionType", "ResultCount", "Threshold"];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

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
