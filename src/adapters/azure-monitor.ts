import { z } from "zod";
import { readNumberText, readOwnSettings } from "./alert-labels.js";
import { clip, oneLine, readWith, textMap } from "./fields.js";
import type { Adapter, AlertStatus, ScalingSignal } from "./signal.js";
import { began } from "../timings/instant.js";

const shortText = z.string().max(255);

const criterionSchema = z.object({
  metricName: shortText.optional(),
  metricNamespace: shortText.optional(),
  operator: shortText.optional(),
  // Text in the common schema ("25"); dynamic thresholds have none.
  threshold: z.union([z.string().max(64), z.number()]).nullish(),
  timeAggregation: shortText.optional(),
  dimensions: z
    .array(z.object({ name: shortText, value: z.string().max(1024) }))
    .max(64)
    .nullish(),
  metricValue: z.number().nullish(),
});

// The common alert schema (https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-common-schema).
// Only what this adapter reads is checked; the rest of alertContext, which differs by signal
// type, is tolerated.
const commonSchema = z.object({
  schemaId: z.literal("azureMonitorCommonAlertSchema", {
    error:
      'expected "azureMonitorCommonAlertSchema": turn on the common alert schema for this webhook in the action group (useCommonAlertSchema: true)',
  }),
  data: z.object({
    essentials: z.object({
      alertId: z.string().min(1).max(1024),
      alertRule: z.string().min(1).max(260),
      severity: z.string().max(16).optional(),
      signalType: z.string().max(64).optional(),
      monitorCondition: z.enum(["Fired", "Resolved"]),
      alertTargetIDs: z.array(z.string().max(1024)).max(100).nullish(),
      description: z.string().max(4096).nullish(),
      // When the alert fired; read for the timings report only, so any value is tolerated.
      firedDateTime: z.unknown().optional(),
    }),
    alertContext: z
      .object({
        condition: z.object({ allOf: z.array(criterionSchema).max(100).nullish() }).nullish(),
        // Log search alerts of the first API version carry their counts here instead.
        ResultCount: z.number().nullish(),
        Threshold: z.number().nullish(),
      })
      .nullish(),
    customProperties: textMap(64, 8192).nullish(),
  }),
});

type Common = z.infer<typeof commonSchema>;
type Criterion = z.infer<typeof criterionSchema>;

const statusOf = { Fired: "firing", Resolved: "resolved" } as const satisfies Record<string, AlertStatus>;

/**
 * Reads `{ source: "azure-monitor", "azure-monitor": <common alert schema body> }`: one signal
 * per criterion of the alert's condition (one for alerts without criteria, such as activity log
 * alerts).
 */
export const azureMonitorAdapter: Adapter = {
  source: "azure-monitor",
  description: 'an Azure Monitor alert in the common alert schema under the key "azure-monitor"',
  parse(payload, path) {
    const bodyPath = `${path}["azure-monitor"]`;
    const body = readWith(commonSchema, payload["azure-monitor"], bodyPath);
    const criteria = body.data.alertContext?.condition?.allOf ?? [];
    if (criteria.length === 0) return [toSignal(body, bodyPath, undefined, undefined)];
    return criteria.map((criterion, index) => toSignal(body, bodyPath, criterion, criteria.length > 1 ? index : undefined));
  },
};

/** `index` is the criterion's place in allOf, when the condition has several. */
function toSignal(body: Common, bodyPath: string, criterion: Criterion | undefined, index: number | undefined): ScalingSignal {
  const { essentials, alertContext } = body.data;
  const status = statusOf[essentials.monitorCondition];
  const targets = essentials.alertTargetIDs ?? [];
  const labels: Record<string, string> = {
    ...Object.fromEntries((criterion?.dimensions ?? []).map((dimension) => [dimension.name, dimension.value])),
    ...(criterion?.metricName === undefined ? {} : { metric: criterion.metricName }),
    ...(criterion?.metricNamespace === undefined ? {} : { namespace: criterion.metricNamespace }),
    ...(essentials.severity === undefined ? {} : { severity: essentials.severity }),
    // The resource the alert is about; an alert on several has no one resource.
    ...(targets.length === 1 ? { resource: targets[0]! } : {}),
  };
  const customProperties = body.data.customProperties ?? {};
  const annotations: Record<string, string> = {
    ...(essentials.description ? { description: essentials.description } : {}),
    ...customProperties,
  };
  const { target, adjustment } = readOwnSettings(
    [{ entries: customProperties, path: `${bodyPath}.data.customProperties` }],
    status,
  );
  const value = criterion ? (criterion.metricValue ?? undefined) : (alertContext?.ResultCount ?? undefined);
  const threshold = criterion ? readNumberText(criterion.threshold, `${bodyPath}.data.alertContext.condition.allOf[${index ?? 0}].threshold`) : (alertContext?.Threshold ?? undefined);
  const measured = [
    criterion?.metricName === undefined ? undefined : `${criterion.metricName}${value === undefined ? "" : ` ${value}`}`,
    criterion?.metricName === undefined && value !== undefined ? `value ${value}` : undefined,
    threshold === undefined ? undefined : `${criterion?.operator ?? "threshold"} ${threshold}`,
  ].filter((part) => part !== undefined);
  return {
    source: "azure-monitor",
    // Rule names and metric names are free text: flattened to one line (see oneLine).
    reason: clip(oneLine(`alert rule ${essentials.alertRule} ${essentials.monitorCondition}${measured.length > 0 ? ` (${measured.join(", ")})` : ""}`), 300),
    // Azure notifies once when an alert fires and once when it resolves, and retries failed
    // deliveries: the alert's id with its condition names one delivery.
    deliveryId: oneLine(`${essentials.alertId}|${essentials.monitorCondition}${index === undefined ? "" : `|${index}`}`),
    ...(target === undefined ? {} : { target }),
    ...(adjustment === undefined ? {} : { adjustment }),
    alert: {
      name: essentials.alertRule,
      status,
      labels,
      annotations,
      ...(value === undefined ? {} : { value }),
      ...(threshold === undefined ? {} : { threshold }),
    },
    ...began(essentials.firedDateTime),
  };
}
