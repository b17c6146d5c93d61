import { formatAdjustment } from "../adapters/adjustment.js";
import { ADJUST_LABEL, ADJUST_RESOLVED_LABEL, TARGET_LABEL } from "../adapters/alertmanager.js";
import type { AlertFacts, AlertStatus, ResolvedSignal, ScalingSignal } from "../adapters/signal.js";
import { InputError } from "../errors.js";
import { needsMetric } from "./propose.js";
import type { Policy, Rule } from "../policy/schema.js";

/** A signal that asks for nothing under this policy, and why; shown so no alert vanishes silently. */
export interface SkippedSignal {
  readonly signal: ScalingSignal;
  readonly why: string;
}

export interface Resolution {
  /** What the engine decides on: every target here is a target of the policy. */
  readonly resolved: ResolvedSignal[];
  readonly skipped: SkippedSignal[];
}

/** The rule field that holds the adjustment for each alert status. */
const adjustmentKey = { firing: "firing", resolved: "resolved", "no-data": "noData" } as const satisfies Record<AlertStatus, keyof Rule>;

/**
 * Settles each signal's target and adjustment against the policy.
 *
 * A request (delta, count) names both itself; a target the policy does not have is an error,
 * raised before anything changes, because a person typed it. An alert uses its own
 * `pulumiscale_target` and adjustment labels when it has both, and the policy's rules otherwise;
 * an alert that ends up with nothing to do is skipped with the reason, not an error, because one
 * alert group can hold alerts for other stacks and states that mean nothing here.
 */
export function resolveSignals(policy: Policy, signals: readonly ScalingSignal[], policyOutput = "pulumiscale"): Resolution {
  const resolved: ResolvedSignal[] = [];
  const skipped: SkippedSignal[] = [];
  for (const signal of signals) {
    if (signal.alert === undefined) {
      resolved.push(resolveRequest(policy, signal, policyOutput));
      continue;
    }
    const outcome = resolveAlert(policy, signal, signal.alert);
    if (typeof outcome === "string") skipped.push({ signal, why: outcome });
    else {
      for (const entry of outcome) {
        if (typeof entry === "string") skipped.push({ signal, why: entry });
        else resolved.push(entry);
      }
    }
  }
  return { resolved, skipped };
}

function resolveRequest(policy: Policy, signal: ScalingSignal, policyOutput: string): ResolvedSignal {
  if (signal.target === undefined || signal.adjustment === undefined) {
    throw new InputError("signal", signal.reason, "a target and an adjustment");
  }
  if (!Object.hasOwn(policy.targets, signal.target)) {
    throw new InputError("target", signal.target, `a target of the stack's policy ${JSON.stringify(policyOutput)} (${targetList(policy)})`);
  }
  return { ...signal, target: signal.target, adjustment: signal.adjustment };
}

/**
 * The alert's resolved signals (one per target its rules name), or why it has none. A rule
 * whose adjustment needs a metric value the alert lacks gives, in its place, why.
 */
function resolveAlert(policy: Policy, signal: ScalingSignal, alert: AlertFacts): (ResolvedSignal | string)[] | string {
  if (signal.target !== undefined && signal.adjustment !== undefined) {
    if (!Object.hasOwn(policy.targets, signal.target)) {
      return `names target ${JSON.stringify(signal.target)} (label ${TARGET_LABEL}), which this policy does not have (${targetList(policy)})`;
    }
    const reason = `${signal.reason} → ${formatAdjustment(signal.adjustment)} (alert labels)`;
    return [{ ...signal, target: signal.target, adjustment: signal.adjustment, reason }];
  }
  const key = adjustmentKey[alert.status];
  const rules = policy.rules ?? [];
  const matching = rules.map((rule, index) => ({ rule, index })).filter(({ rule }) => matches(rule, signal.source, alert));
  // Per target, the first matching rule that says something for this status wins.
  const chosen = new Map<string, { rule: Rule; index: number }>();
  for (const entry of matching) {
    if (entry.rule[key] !== undefined && Object.hasOwn(policy.targets, entry.rule.target) && !chosen.has(entry.rule.target)) {
      chosen.set(entry.rule.target, entry);
    }
  }
  if (chosen.size > 0) return [...chosen.values()].map(({ rule, index }) => byRule(signal, alert, rule, index, rule[key]!));
  if (matching.length > 0) {
    const which = matching.map(({ index }) => `rules[${index}]`).join(", ");
    return `${alert.status} alerts change nothing unless a rule says so: ${which} match but give no ${key} adjustment`;
  }
  if (signal.target !== undefined) {
    const label = alert.status === "firing" ? ADJUST_LABEL : ADJUST_RESOLVED_LABEL;
    return `names target ${JSON.stringify(signal.target)} but no ${alert.status} adjustment (label ${label}), and no rule matches`;
  }
  if (alert.status !== "firing") {
    return `${alert.status} alerts change nothing unless a rule gives them a ${key} adjustment`;
  }
  return `no rule matches ${signal.source} alert ${JSON.stringify(alert.name)} and it names no target (label ${TARGET_LABEL})`;
}

function byRule(
  signal: ScalingSignal,
  alert: AlertFacts,
  rule: Rule,
  index: number,
  adjustment: NonNullable<Rule["firing"]>,
): ResolvedSignal | string {
  const notes = [`rules[${index}]`];
  let value = alert.value;
  const named = rule.valueFrom === undefined ? undefined : alert.values?.[rule.valueFrom];
  if (named !== undefined) {
    // A value the source measured under this name (Grafana: a refId) comes before annotations.
    value = named;
    notes.push(`value ${named}`);
  } else if (rule.valueFrom !== undefined) {
    const text = alert.annotations[rule.valueFrom];
    const number = text === undefined || text.trim() === "" ? NaN : Number(text);
    if (Number.isFinite(number)) {
      value = number;
      notes.push(`value ${number}`);
    } else {
      notes.push(`annotation ${JSON.stringify(rule.valueFrom)} holds no number: ${text === undefined ? "missing" : JSON.stringify(text)}`);
    }
  }
  // The rule's threshold is the one its steps were written against; else the alarm's own.
  const threshold = rule.threshold ?? alert.threshold;
  if (needsMetric(adjustment)) {
    const missing = [value === undefined ? "the metric value" : "", adjustment.type === "steps" && threshold === undefined ? "a threshold" : ""].filter(Boolean);
    if (missing.length > 0) {
      const where = [
        value === undefined ? (rule.valueFrom === undefined ? "give the rule valueFrom" : `annotation ${JSON.stringify(rule.valueFrom)} holds none`) : "",
        missing.includes("a threshold") ? "give the rule a threshold" : "",
      ].filter(Boolean);
      return `rules[${index}] gives ${formatAdjustment(adjustment)}, which needs ${missing.join(" and ")}: the alert carries none (${where.join("; ")})`;
    }
  }
  const metric = { ...(value === undefined ? {} : { value }), ...(threshold === undefined ? {} : { threshold }) };
  return {
    ...signal,
    target: rule.target,
    adjustment,
    reason: `${signal.reason} → ${formatAdjustment(adjustment)} (${notes.join(", ")})`,
    rule: index,
    alert: { ...alert, ...metric },
  };
}

/** Every criterion the rule gives must hold; labels compare exactly. */
function matches(rule: Rule, source: string, alert: AlertFacts): boolean {
  const { match } = rule;
  if (match.source !== undefined && match.source !== source) return false;
  if (match.name !== undefined && match.name !== alert.name) return false;
  // Notifications that change nothing by default apply only through a rule that names them.
  if (!Object.entries(alert.optInLabels ?? {}).every(([key, value]) => match.labels?.[key] === value)) return false;
  return Object.entries(match.labels ?? {}).every(([key, value]) => Object.hasOwn(alert.labels, key) && alert.labels[key] === value);
}

function targetList(policy: Policy): string {
  return Object.keys(policy.targets)
    .map((name) => JSON.stringify(name))
    .join(", ");
}
