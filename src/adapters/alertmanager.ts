import { z } from "zod";
import { distinguishingLabels, readOwnSettings } from "./alert-labels.js";
import { clip, oneLine, readWith, textMap } from "./fields.js";
import type { Adapter, ScalingSignal } from "./signal.js";
import { began } from "../timings/instant.js";

// Other modules read the label names from here; they live with the helpers every alert source shares.
export { ADJUST_LABEL, ADJUST_RESOLVED_LABEL, TARGET_LABEL } from "./alert-labels.js";

/** One alert of a webhook message; Grafana's webhook sends the same fields and more. */
export const alertmanagerAlertSchema = z.object({
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
  alerts: z.array(alertmanagerAlertSchema).max(1000),
});

type Alert = z.infer<typeof alertmanagerAlertSchema>;

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
  const { target, adjustment } = readOwnSettings(
    [
      { entries: alert.labels, path: `${path}.labels` },
      { entries: alert.annotations, path: `${path}.annotations` },
    ],
    alert.status,
  );
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
    ...began(alert.startsAt),
  };
}
