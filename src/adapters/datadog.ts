import { z } from "zod";
import { quote } from "../errors.js";
import { readOwnSettings } from "./alert-labels.js";
import { clip, oneLine, readWith, textMap } from "./fields.js";
import { PayloadError, type Adapter, type AlertStatus, type ScalingSignal } from "./signal.js";
import { began } from "../timings/instant.js";

/** Where the payload template Datadog must send is documented. */
export const DATADOG_TEMPLATE_DOC = 'docs/events.md, "Datadog" (examples/alerts/datadog/)';

/**
 * The transitions Datadog names in $ALERT_TRANSITION, by the label value a rule matches: each
 * repeat ("Re-Triggered") counts as its first form. Warn and Renotify change nothing unless a
 * rule names them in match.labels.transition.
 */
const transitions: Record<string, { readonly label: string; readonly status: AlertStatus; readonly optIn?: true }> = {
  triggered: { label: "Triggered", status: "firing" },
  "re-triggered": { label: "Triggered", status: "firing" },
  recovered: { label: "Recovered", status: "resolved" },
  "no data": { label: "No Data", status: "no-data" },
  "re-no data": { label: "No Data", status: "no-data" },
  warn: { label: "Warn", status: "firing", optIn: true },
  "re-warn": { label: "Warn", status: "firing", optIn: true },
  renotify: { label: "Renotify", status: "firing", optIn: true },
};

// A field Datadog left as written: a variable it does not know, or one the template misspelt.
const unfilled = /^\$[A-Z_]+$/;
const filled = (what: string) =>
  z.string().refine((text) => !unfilled.test(text.trim()), { message: `expected ${what}, filled in by Datadog; the variable is not one Datadog knows` });

// PulumiScale's payload template for the Datadog webhook (see DATADOG_TEMPLATE_DOC): every field
// is a Datadog variable, so Datadog sends text.
const templateSchema = z.object({
  transition: filled("the alert transition ($ALERT_TRANSITION)").pipe(z.string().min(1).max(32)),
  alert_id: filled("the monitor id ($ALERT_ID)").pipe(z.string().min(1).max(64)),
  cycle_key: z.string().max(128).optional(),
  title: filled("the alert title ($ALERT_TITLE)").pipe(z.string().min(1).max(1024)),
  metric: z.string().max(512).optional(),
  tags: z.string().max(16384).optional(),
  scope: z.string().max(16384).optional(),
  id: filled("the event id ($ID)").pipe(z.string().min(1).max(128)),
  // $DATE, epoch milliseconds: when the event happened. Read for the timings report only, so any
  // value (an unfilled "$DATE" included) is tolerated and counts as unknown.
  date: z.unknown().optional(),
  // Settings tags cannot carry (Datadog tags have no "+" or "="), written into the template.
  annotations: textMap(64, 8192).optional(),
});

/** Keys of Datadog's default webhook body, which has no state: firing and recovered differ only in the title. */
const DEFAULT_BODY_KEYS = ["body", "last_updated", "event_type", "title", "date", "org", "id"];

/**
 * Reads `{ source: "datadog", datadog: <PulumiScale's Datadog template> }`: one signal per
 * notification. Datadog's default body is refused with the template to use instead.
 */
export const datadogAdapter: Adapter = {
  source: "datadog",
  description: `a Datadog monitor notification in PulumiScale's webhook template (${DATADOG_TEMPLATE_DOC}) under the key datadog`,
  parse(payload, path) {
    const bodyPath = `${path}.datadog`;
    const raw = payload["datadog"];
    if (isDefaultBody(raw)) {
      throw new PayloadError(
        `${bodyPath}.transition`,
        `expected the alert transition ($ALERT_TRANSITION), got ${quote(undefined)}: this is Datadog's default webhook body, which does not say whether an alert fired or recovered; set the webhook's payload to PulumiScale's template (${DATADOG_TEMPLATE_DOC})`,
      );
    }
    const body = readWith(templateSchema, raw, bodyPath);
    return [toSignal(body, bodyPath)];
  },
};

function isDefaultBody(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return !keys.includes("transition") && keys.filter((key) => DEFAULT_BODY_KEYS.includes(key)).length >= 3;
}

/**
 * Tags as Datadog writes them, "env:prod, service:web, canary": a key and its value split at
 * the first colon, a tag without one has the value "". A key given twice keeps both values,
 * joined by a comma, as Datadog allows the same key with several values.
 */
function readTags(text: string | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of (text ?? "").split(",")) {
    const trimmed = tag.trim();
    if (trimmed === "") continue;
    const colon = trimmed.indexOf(":");
    const key = colon === -1 ? trimmed : trimmed.slice(0, colon);
    const value = colon === -1 ? "" : trimmed.slice(colon + 1);
    tags[key] = tags[key] === undefined || tags[key] === value ? value : `${tags[key]},${value}`;
  }
  return tags;
}

// "[Triggered on {host:web-1}] ", "[Recovered] ", "[P1] ", "[TEST] ": Datadog's prefixes, which
// change with the transition while the monitor's name stays.
const titlePrefixes = /^(?:\s*\[[^\]]*\])+\s*/;

function toSignal(body: z.infer<typeof templateSchema>, path: string): ScalingSignal {
  const transition = transitions[body.transition.trim().toLowerCase()];
  if (!transition) {
    throw new PayloadError(
      `${path}.transition`,
      `expected one of "Triggered", "Re-Triggered", "Recovered", "No Data", "Re-No Data", "Warn", "Re-Warn" or "Renotify" ($ALERT_TRANSITION), got ${quote(body.transition)}`,
    );
  }
  const prefix = titlePrefixes.exec(body.title)?.[0] ?? "";
  const name = body.title.slice(prefix.length).trim() || body.title.trim();
  const test = /\[TEST\]/i.test(prefix);
  const scope = readTags(body.scope);
  const labels: Record<string, string> = {
    ...readTags(body.tags),
    ...scope,
    ...(body.metric && !unfilled.test(body.metric) ? { metric: body.metric } : {}),
    monitor_id: body.alert_id,
    transition: transition.label,
    ...(test ? { test: "true" } : {}),
  };
  const optInLabels = {
    ...(transition.optIn ? { transition: transition.label } : {}),
    ...(test ? { test: "true" } : {}),
  };
  const optIn = Object.keys(optInLabels).length > 0;
  const annotations = body.annotations ?? {};
  const own = optIn
    ? {}
    : readOwnSettings(
        [
          { entries: readTags(body.tags), path: `${path}.tags` },
          { entries: annotations, path: `${path}.annotations` },
        ],
        transition.status,
      );
  const scopeText = body.scope?.trim() ? ` on ${body.scope.trim()}` : "";
  const hint = optIn ? ` (changes nothing unless a rule matches ${Object.entries(optInLabels).map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(", ")})` : "";
  return {
    source: "datadog",
    // Titles and tags are free text: flattened to one line (see oneLine).
    reason: clip(oneLine(`${test ? "test notification: " : ""}monitor ${name} ${body.transition.trim()}${scopeText}`), 300) + hint,
    // $ID names one notification; Datadog retries a failed delivery with the same one, and a
    // Re-Triggered notification is a new event with a new id.
    deliveryId: oneLine(`${body.alert_id}|${body.id}`),
    ...(own.target === undefined ? {} : { target: own.target }),
    ...(own.adjustment === undefined ? {} : { adjustment: own.adjustment }),
    alert: {
      name,
      status: transition.status,
      labels,
      annotations: { ...annotations, title: body.title, ...(body.cycle_key ? { cycle_key: body.cycle_key } : {}) },
      ...(optIn ? { optInLabels } : {}),
    },
    ...began(body.date, "milliseconds"),
  };
}
