import { z } from "zod";
import { ADJUSTMENT_FORMS, readAdjustment } from "./adjustment.js";
import { clip, formatPath, oneLine, readTargetName, readWith, textMap } from "./fields.js";
import { PayloadError, type Adapter, type Adjustment, type ScalingSignal } from "./signal.js";
import { quote } from "../errors.js";

/** Alert label (or annotation) naming the policy target the alert scales. */
export const TARGET_LABEL = "pulumiscale_target";
/** Alert label (or annotation) with the adjustment a firing alert asks for, e.g. "+2". */
export const ADJUST_LABEL = "pulumiscale_adjust";
/** Alert label (or annotation) with the adjustment once the alert is resolved, e.g. "-1". */
export const ADJUST_RESOLVED_LABEL = "pulumiscale_adjust_resolved";

const alertSchema = z.object({
  status: z.enum(["firing", "resolved"]),
  labels: textMap(64, 1024).refine((labels) => (labels["alertname"] ?? "") !== "", {
    message: 'expected an "alertname" label',
    path: ["alertname"],
  }),
  annotations: textMap(64, 8192).optional(),
  startsAt: z.string().max(64),
  fingerprint: z.string().min(1).max(64),
});

// Webhook version 4, the only one Alertmanager has sent since 0.8. Fields this adapter does not
// read (receiver, externalURL, generatorURL, endsAt, ...) are tolerated, not checked.
const webhookSchema = z.object({
  version: z.literal("4"),
  groupKey: z.string().min(1).max(1024),
  truncatedAlerts: z.number().int().min(0).optional(),
  commonLabels: textMap(64, 1024).optional(),
  alerts: z.array(alertSchema).max(1000),
});

type Alert = z.infer<typeof alertSchema>;

/** Reads `{ source: "alertmanager", alertmanager: <webhook body> }`: one signal per alert. */
export const alertmanagerAdapter: Adapter = {
  source: "alertmanager",
  description: "a Prometheus Alertmanager webhook (version 4) under the key alertmanager",
  parse(payload, path) {
    const bodyPath = `${path}.alertmanager`;
    const body = readWith(webhookSchema, payload["alertmanager"], bodyPath);
    const truncated = body.truncatedAlerts ?? 0;
    return body.alerts.map((alert, index) =>
      toSignal(alert, `${bodyPath}.alerts[${index}]`, body.groupKey, body.commonLabels ?? {}, truncated),
    );
  },
};

function toSignal(
  alert: Alert,
  path: string,
  groupKey: string,
  commonLabels: Readonly<Record<string, string>>,
  truncated: number,
): ScalingSignal {
  const name = alert.labels["alertname"]!;
  const annotations = alert.annotations ?? {};
  const target = ownSetting(alert, TARGET_LABEL, path, (text, at) => readTargetName(text, at));
  // Both are checked on every delivery, so a bad resolved adjustment shows while the alert fires.
  const onFiring = ownSetting(alert, ADJUST_LABEL, path, readOwnAdjustment);
  const onResolved = ownSetting(alert, ADJUST_RESOLVED_LABEL, path, readOwnAdjustment);
  const adjustment = alert.status === "firing" ? onFiring : onResolved;
  const summary = annotations["summary"] ?? annotations["description"];
  const note = truncated > 0 ? ` (Alertmanager left ${truncated} more alerts of this group out)` : "";
  return {
    source: "alertmanager",
    // Names, labels and annotations are free text: the reason is flattened to one line (see oneLine).
    reason: clip(oneLine(`${name}${distinguishingLabels(alert.labels, commonLabels)} ${alert.status}${summary ? `: ${summary}` : ""}`), 300) + note,
    // The alert's identity within its group; the status keeps a resolution apart from the firing.
    deliveryId: oneLine(`${groupKey}|${alert.fingerprint}|${alert.startsAt}|${alert.status}`),
    // Repeated every repeat_interval while the alert lasts: intent for the cooldowns, not a redelivery.
    deliveryIdKind: "occurrence",
    ...(target === undefined ? {} : { target }),
    ...(adjustment === undefined ? {} : { adjustment }),
    alert: { name, status: alert.status, labels: alert.labels, annotations },
  };
}

/** Reads one of the alert's own pulumiscale_* settings: from its labels, else its annotations. */
function ownSetting<T>(alert: Alert, key: string, path: string, read: (text: string, path: string) => T): T | undefined {
  const fromLabels = alert.labels[key];
  if (fromLabels !== undefined) return read(fromLabels, `${path}.labels${formatPath([key])}`);
  const fromAnnotations = alert.annotations?.[key];
  if (fromAnnotations !== undefined) return read(fromAnnotations, `${path}.annotations${formatPath([key])}`);
  return undefined;
}

function readOwnAdjustment(text: string, path: string): Adjustment {
  const adjustment = readAdjustment(text);
  if (!adjustment) throw new PayloadError(path, `expected ${ADJUSTMENT_FORMS}, got ${quote(text)}`);
  return adjustment;
}

/** `{service="api"}`: the labels that tell this alert from the rest of its group. */
function distinguishingLabels(labels: Readonly<Record<string, string>>, common: Readonly<Record<string, string>>): string {
  const own = Object.entries(labels)
    .filter(([key, value]) => key !== "alertname" && !key.startsWith("pulumiscale_") && common[key] !== value)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return own.length === 0 ? "" : `{${own.join(", ")}}`;
}
