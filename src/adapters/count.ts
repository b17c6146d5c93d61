import { MAX_MAGNITUDE, readInteger, readOptionalText, readTargetName } from "./fields.js";
import type { Adapter } from "./signal.js";

/** `{ "source": "count", "target": "workers", "count": 5 }`: set an exact count. */
export const countAdapter: Adapter = {
  source: "count",
  description: "set an exact number of units: { target, count, reason?, id? }",
  parse(payload, path) {
    const target = readTargetName(payload["target"], `${path}.target`);
    const count = readInteger(payload["count"], `${path}.count`, { min: 0, max: MAX_MAGNITUDE });
    const reason = readOptionalText(payload["reason"], `${path}.reason`, 500);
    const deliveryId = readOptionalText(payload["id"], `${path}.id`, 200);
    return [
      {
        target,
        adjustment: { type: "exact", count },
        source: "count",
        ...(deliveryId ? { deliveryId } : {}),
        reason: reason ?? `requested count ${count}`,
      },
    ];
  },
};
