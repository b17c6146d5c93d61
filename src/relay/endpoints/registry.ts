import { alertmanagerEndpoint } from "./alertmanager.js";
import { azureMonitorEndpoint } from "./azure-monitor.js";
import { datadogEndpoint } from "./datadog.js";
import { dispatchEndpoint } from "./dispatch.js";
import type { Endpoint } from "./endpoint.js";
import { eventbridgeEndpoint } from "./eventbridge.js";
import { googleCloudMonitoringEndpoint } from "./google-cloud-monitoring.js";
import { grafanaEndpoint } from "./grafana.js";
import { snsEndpoint } from "./sns.js";

/** Every webhook endpoint, sorted by name. A test fails when an endpoint file is missing here. */
export const endpoints: readonly Endpoint[] = [
  alertmanagerEndpoint,
  azureMonitorEndpoint,
  datadogEndpoint,
  dispatchEndpoint,
  eventbridgeEndpoint,
  googleCloudMonitoringEndpoint,
  grafanaEndpoint,
  snsEndpoint,
];

export function findEndpoint(name: string): Endpoint | undefined {
  return endpoints.find((endpoint) => endpoint.name === name);
}
