// What PulumiScale may do to each stack: bounds, pace and the rules that turn alerts into
// changes. Kept apart from the resources so that they read as one table per stack.
import type { RuleInput } from "../../src/policy/define";

export type StackName = "prod" | "staging";
/** The policy's targets: the ECS service and the EKS node group. */
export type TargetName = "web" | "nodes";

/** Bounds of both targets. The node group's own minSize/maxSize are set from these too, so the
 * policy can never ask EKS for a size it refuses. */
export interface Bounds {
  readonly web: { readonly min: number; readonly max: number };
  readonly nodes: { readonly min: number; readonly max: number };
}

export const bounds: Record<StackName, Bounds> = {
  prod: { web: { min: 2, max: 20 }, nodes: { min: 3, max: 12 } },
  staging: { web: { min: 1, max: 4 }, nodes: { min: 1, max: 3 } },
};

/** CloudWatch alarm names are unique per account and region: the stack is part of each. */
export const alarmNames = (stack: StackName) => ({
  cpuHigh: `web-${stack}-ecs-cpu-high`,
  cpuLow: `web-${stack}-ecs-cpu-low`,
});

/** Pace of each target: how far one run may go, and how long alerts wait after a scaling. */
export const pace = {
  web: { maxStep: 4, cooldown: { scaleOut: "3m", scaleIn: "10m" }, scaleInStabilization: "15m" },
  nodes: { maxStep: 2, cooldown: { scaleOut: "10m", scaleIn: "30m" }, scaleInStabilization: "30m" },
} as const;

/** Alerts → targets. Alertmanager sends the node alerts (prometheus/rules.yml), CloudWatch the ECS alarms. */
export function rules(stack: StackName): (RuleInput & { target: TargetName })[] {
  const alarms = alarmNames(stack);
  return [
    // SNS carries no metric value, so these are plain adjustments (steps and target tracking
    // need one: use EventBridge for those, docs/events.md).
    { match: { source: "cloudwatch", name: alarms.cpuHigh }, target: "web", firing: "+2" },
    { match: { source: "cloudwatch", name: alarms.cpuLow }, target: "web", firing: "-1" },
    { match: { source: "alertmanager", name: "WebNodesCpuHigh" }, target: "nodes", firing: "+1" },
    { match: { source: "alertmanager", name: "WebNodesCpuLow" }, target: "nodes", firing: "-1" },
  ];
}
