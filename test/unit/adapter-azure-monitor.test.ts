// Azure Monitor alerts in the common alert schema, read through the registry as the action reads
// them. Fields come from Azure Monitor's "Common alert schema" page
// (learn.microsoft.com/azure/azure-monitor/alerts/alerts-common-schema): the fixture is its sample
// metric alert; the variants use the alertContext shapes that page documents for metric alerts
// (static and dynamic thresholds), log search alerts (API versions 2018-04-16 and 2021-08-01) and
// activity log alerts.
import { parsePayload } from "../../src/adapters/registry.js";
import { PayloadError, type ScalingSignal } from "../../src/adapters/signal.js";
import { azureMetricResolved } from "./payloads.js";

type Body = { data: { essentials: Record<string, unknown>; alertContext: Record<string, unknown> | null; customProperties?: unknown } } & Record<string, unknown>;
const read = (body: unknown) => parsePayload({ source: "azure-monitor", "azure-monitor": body }, "client_payload");

/** The docs' sample with essentials, alertContext and customProperties changed. */
function variant(change: { essentials?: Record<string, unknown>; alertContext?: Record<string, unknown> | null; customProperties?: unknown }): Body {
  const body = azureMetricResolved() as Body;
  return {
    ...body,
    data: {
      essentials: { ...body.data.essentials, ...change.essentials },
      alertContext: change.alertContext === undefined ? body.data.alertContext : change.alertContext,
      customProperties: change.customProperties === undefined ? body.data.customProperties : change.customProperties,
    },
  };
}

const cpu = (metricValue: number | undefined, extra: Record<string, unknown> = {}) => ({
  metricName: "Percentage CPU",
  metricNamespace: "Microsoft.Compute/virtualMachines",
  operator: "GreaterThan",
  threshold: "25",
  timeAggregation: "Average",
  dimensions: [{ name: "ResourceId", value: "a0a0a0a0-bbbb-cccc-dddd-e1e1e1e1e1e1" }],
  ...(metricValue === undefined ? {} : { metricValue }),
  ...extra,
});
const metricContext = (...allOf: unknown[]) => ({ properties: null, conditionType: "SingleResourceMultipleMetricCriteria", condition: { windowSize: "PT5M", allOf } });

const alertId = "/subscriptions/<subscription ID>/providers/Microsoft.AlertsManagement/alerts/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e";
const vm = "/subscriptions/<subscription ID>/resourcegroups/pipelinealertrg/providers/microsoft.compute/virtualmachines/wcus-r2-gen2";
const docsLabels = {
  ResourceId: "a0a0a0a0-bbbb-cccc-dddd-e1e1e1e1e1e1",
  metric: "Percentage CPU",
  namespace: "Microsoft.Compute/virtualMachines",
  severity: "Sev3",
  resource: vm,
};

describe("azure-monitor adapter over the common alert schema", () => {
  it.each<[string, () => unknown, ScalingSignal[]]>([
    [
      "the docs' sample: a resolved metric alert, value metricValue, threshold from its text",
      azureMetricResolved,
      [
        {
          source: "azure-monitor",
          reason: "alert rule WCUS-R2-Gen2 Resolved (Percentage CPU 7.727, GreaterThan 25)",
          deliveryId: `${alertId}|Resolved`,
          began: "2019-03-22T13:58:24.371Z",
          alert: {
            name: "WCUS-R2-Gen2",
            status: "resolved",
            labels: docsLabels,
            annotations: { Key1: "Value1", Key2: "Value2" },
            value: 7.727,
            threshold: 25,
          },
        },
      ],
    ],
    [
      "the same alert fired, with pulumiscale_target and pulumiscale_adjust as custom properties",
      () =>
        variant({
          essentials: { monitorCondition: "Fired", resolvedDateTime: undefined },
          alertContext: metricContext(cpu(31.5)),
          customProperties: { pulumiscale_target: "workers", pulumiscale_adjust: "+2" },
        }),
      [
        {
          source: "azure-monitor",
          reason: "alert rule WCUS-R2-Gen2 Fired (Percentage CPU 31.5, GreaterThan 25)",
          deliveryId: `${alertId}|Fired`,
          began: "2019-03-22T13:58:24.371Z",
          target: "workers",
          adjustment: { type: "change", by: 2 },
          alert: {
            name: "WCUS-R2-Gen2",
            status: "firing",
            labels: docsLabels,
            annotations: { pulumiscale_target: "workers", pulumiscale_adjust: "+2" },
            value: 31.5,
            threshold: 25,
          },
        },
      ],
    ],
  ])("%s", (_name, body, expected) => {
    expect(read(body())).toEqual(expected);
  });

  it("gives one signal per criterion of a multi-criteria condition, each with its own value and id", () => {
    const memory = { ...cpu(812), metricName: "Available Memory Bytes", operator: "LessThan", threshold: "1000" };
    const signals = read(variant({ essentials: { monitorCondition: "Fired" }, alertContext: metricContext(cpu(31.5), memory) }));
    expect(signals.map((signal) => [signal.deliveryId, signal.alert!.labels["metric"], signal.alert!.value, signal.alert!.threshold])).toEqual([
      [`${alertId}|Fired|0`, "Percentage CPU", 31.5, 25],
      [`${alertId}|Fired|1`, "Available Memory Bytes", 812, 1000],
    ]);
  });

  it.each<[string, Body, { value?: number; threshold?: number; labels?: Record<string, string> }]>([
    ["a criterion without metricValue: no value", variant({ alertContext: metricContext(cpu(undefined)) }), { threshold: 25 }],
    [
      "a dynamic threshold criterion (DynamicThresholdCriteria has no fixed threshold)",
      variant({
        alertContext: {
          conditionType: "DynamicThresholdCriteria",
          condition: { windowSize: "PT5M", allOf: [{ ...cpu(7.727), threshold: undefined, operator: "GreaterOrLessThan", alertSensitivity: "High", failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 } }] },
        },
      }),
      { value: 7.727 },
    ],
    [
      "a log search alert (2021-08-01): threshold text and metricValue, no dimensions",
      variant({
        essentials: { signalType: "Log", monitoringService: "Log Alerts V2" },
        alertContext: {
          conditionType: "LogQueryCriteria",
          condition: {
            windowSize: "PT10M",
            allOf: [{ searchQuery: "Heartbeat", metricMeasureColumn: null, targetResourceTypes: "['Microsoft.Compute/virtualMachines']", operator: "LowerThan", threshold: "1", timeAggregation: "Count", dimensions: [], metricValue: 0 }],
          },
        },
      }),
      { value: 0, threshold: 1, labels: { severity: "Sev3", resource: vm } },
    ],
    [
      "a log search alert (2018-04-16): ResultCount and Threshold, the search results left unread",
      variant({
        essentials: { signalType: "Log", monitoringService: "Log Analytics" },
        alertContext: { SearchQuery: "Heartbeat", ResultCount: 2, Threshold: 10000, Operator: "Less Than", SearchResults: { tables: [] } },
      }),
      { value: 2, threshold: 10000, labels: { severity: "Sev3", resource: vm } },
    ],
    [
      "an activity log alert: no condition, so no value",
      variant({
        essentials: { signalType: "Activity Log", monitoringService: "Activity Log - Administrative" },
        alertContext: { authorization: { action: "Microsoft.Compute/virtualMachines/restart/action" }, channels: "Operation", status: "Succeeded" },
        customProperties: null,
      }),
      { labels: { severity: "Sev3", resource: vm } },
    ],
  ])("reads %s", (_name, body, expected) => {
    const [signal] = read(body);
    expect(signal!.alert!.value).toBe(expected.value);
    expect(signal!.alert!.threshold).toBe(expected.threshold);
    if (expected.labels) expect(signal!.alert!.labels).toEqual(expected.labels);
  });

  it("has no one resource label for an alert on several resources", () => {
    const [signal] = read(variant({ essentials: { alertTargetIDs: [vm, `${vm}-2`] } }));
    expect(signal!.alert!.labels["resource"]).toBeUndefined();
  });
});

describe("azure-monitor adapter refuses what it cannot read, naming the path, the value and what to do", () => {
  it.each<[string, () => unknown, string]>([
    [
      "an alert in an older, non-common schema",
      () => ({ schemaId: "AzureMonitorMetricAlert", data: { status: "Activated", context: {} } }),
      'client_payload["azure-monitor"].schemaId: expected "azureMonitorCommonAlertSchema": turn on the common alert schema for this webhook in the action group (useCommonAlertSchema: true), got "AzureMonitorMetricAlert"',
    ],
    [
      "a body without schemaId",
      () => ({ data: {} }),
      'client_payload["azure-monitor"].schemaId: expected "azureMonitorCommonAlertSchema": turn on the common alert schema for this webhook in the action group (useCommonAlertSchema: true), got nothing',
    ],
    [
      "a monitor condition the schema does not have",
      () => variant({ essentials: { monitorCondition: "Active" } }),
      'client_payload["azure-monitor"].data.essentials.monitorCondition: expected "Fired" or "Resolved", got "Active"',
    ],
    [
      "a threshold that is not a number",
      () => variant({ alertContext: metricContext(cpu(7, { threshold: "high" })) }),
      'client_payload["azure-monitor"].data.alertContext.condition.allOf[0].threshold: expected a number as text such as "0.9", got "high"',
    ],
    [
      "a bad adjustment in the custom properties",
      () => variant({ customProperties: { pulumiscale_adjust: "two" } }),
      'client_payload["azure-monitor"].data.customProperties.pulumiscale_adjust: expected "+N" (add N), "-N" (remove N), "+N%" or "-N%" (add or remove N percent) or "=N" (set to N), got "two"',
    ],
  ])("refuses %s", (_name, body, message) => {
    expect(() => read(body())).toThrow(PayloadError);
    expect(() => read(body())).toThrow(message);
  });
});
