import { InputError } from "../errors.js";
import type { ResolvedSignal, ScalingSignal } from "../adapters/signal.js";
import type { Policy } from "../policy/schema.js";

/**
 * Settles each signal's target and adjustment against the policy. A signal that names a target
 * the policy does not have is an error, raised before anything changes.
 */
export function resolveSignals(
  policy: Policy,
  signals: readonly ScalingSignal[],
  policyOutput = "pulumiscale",
): ResolvedSignal[] {
  return signals.map((signal) => {
    if (signal.target === undefined || signal.adjustment === undefined) {
      throw new InputError("signal", signal.reason, "a target and an adjustment");
    }
    if (!Object.hasOwn(policy.targets, signal.target)) {
      const known = Object.keys(policy.targets).map((name) => JSON.stringify(name)).join(", ");
      throw new InputError("target", signal.target, `a target of the stack's policy ${JSON.stringify(policyOutput)} (${known})`);
    }
    return { ...signal, target: signal.target, adjustment: signal.adjustment };
  });
}
