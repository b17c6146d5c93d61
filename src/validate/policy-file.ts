import { InputError } from "../errors.js";
import { parsePolicy, type Policy } from "../policy/schema.js";

/** The name the action reads the policy from by default, used in error paths. */
const POLICY_OUTPUT = "pulumiscale";

export interface LoadedPolicy {
  readonly policy: Policy;
  /** Where each target's replayed count came from, one line each. */
  readonly counts: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Validates a policy file's contents with the action's own parser. A file written by hand has no
 * deployed count: `current` comes from --current, else the file, else the target's `min`.
 */
export function loadPolicy(value: unknown, current: ReadonlyMap<string, number>): LoadedPolicy {
  // `pulumi stack output --json` holds the policy under its output name.
  const raw = isRecord(value) && !("version" in value) && isRecord(value[POLICY_OUTPUT]) ? value[POLICY_OUTPUT] : value;
  const targets = isRecord(raw) && isRecord(raw["targets"]) ? raw["targets"] : undefined;
  for (const name of current.keys()) {
    if (!targets || !isRecord(targets[name])) {
      const known = targets ? Object.keys(targets).map((key) => JSON.stringify(key)).join(", ") : "none";
      throw new InputError("--current", `${name}=${current.get(name)}`, `a target of the policy (${known})`);
    }
  }
  const counts: string[] = [];
  const filled = targets && isRecord(raw)
    ? {
        ...raw,
        targets: Object.fromEntries(
          Object.entries(targets).map(([name, target]) => {
            if (!isRecord(target)) return [name, target];
            const given = current.get(name);
            if (given !== undefined) {
              counts.push(`${name}: replayed from ${given} (--current)`);
              return [name, { ...target, current: given }];
            }
            if (target["current"] !== undefined) {
              counts.push(`${name}: replayed from ${JSON.stringify(target["current"])} (the file's current)`);
              return [name, target];
            }
            counts.push(`${name}: replayed from ${JSON.stringify(target["min"])} (its min; give --current ${name}=N for another count)`);
            return [name, { ...target, current: target["min"] }];
          }),
        ),
      }
    : raw;
  return { policy: parsePolicy(filled, POLICY_OUTPUT), counts };
}
