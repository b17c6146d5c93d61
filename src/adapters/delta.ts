import { MAX_MAGNITUDE, readInteger, readOptionalText, readTargetName } from "./fields.js";
import type { Adapter } from "./signal.js";

/** `{ "source": "delta", "target": "workers", "delta": 2 }`: add to (or remove from) the count. */
export const deltaAdapter: Adapter = {
  source: "delta",
  description: "add or remove a number of units: { target, delta, reason?, id? }",
  parse(payload, path) {
    const target = readTargetName(payload["target"], `${path}.target`);
    const by = readInteger(payload["delta"], `${path}.delta`, { min: -MAX_MAGNITUDE, max: MAX_MAGNITUDE });
    const reason = readOptionalText(payload["reason"], `${path}.reason`, 500);
    const deliveryId = readOptionalText(payload["id"], `${path}.id`, 200);
    return [
      {
        target,
        adjustment: { type: "change", by },
        source: "delta",
        ...(deliveryId ? { deliveryId } : {}),
        reason: reason ?? `requested ${by >= 0 ? "+" : ""}${by}`,
      },
    ];
  },
};
