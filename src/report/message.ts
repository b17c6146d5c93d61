import type { Decision } from "../engine/decision.js";
import { isDeliveryId } from "../engine/memory.js";
import { RECORD_MARKER, type RunRecord } from "../engine/record.js";
import { timingsLine } from "../timings/format.js";
import type { Timings } from "../timings/stages.js";

export { RECORD_MARKER, type RunRecord } from "../engine/record.js";

/**
 * The Pulumi update message: a readable first line, a line per decision saying why (holds and
 * limits included), where the scaling's time went so far (`timings`, when given), then the record
 * as one line of JSON, which later runs read back as their memory (cooldowns, applied delivery ids).
 */
export function updateMessage(decisions: readonly Decision[], timings?: Timings): string {
  const changed = decisions.filter((decision) => decision.changed);
  const head = `PulumiScale: ${changed.map((d) => `${d.target} ${d.from} → ${d.to}`).join(", ")}`;
  // Only the decisions that changed a count are applied. The ids of held or unchanged ones are
  // not spent: a redelivery of them is decided afresh, like any new signal.
  const applied = changed.flatMap((d) => d.signals.filter(isDeliveryId).map((s) => s.deliveryId!));
  const record: RunRecord = {
    v: 1,
    decisions: changed.map((d) => {
      const limits = [...d.holds.map((h) => h.limit), ...d.clamps.map((c) => c.limit)];
      return {
        target: d.target,
        from: d.from,
        to: d.to,
        sources: [...new Set(d.signals.map((s) => s.source))],
        deliveryIds: d.signals.flatMap((s) => (s.deliveryId ? [s.deliveryId] : [])),
        ...(limits.length > 0 ? { limits } : {}),
        alertAdded: d.alertAdded,
        ...(d.recommendation === undefined ? {} : { recommendation: d.recommendation }),
      };
    }),
    ...(applied.length > 0 ? { applied: [...new Set(applied)] } : {}),
  };
  const timed = timings ? `\nTimings: ${timingsLine(timings)}` : "";
  return `${head}\n\n${decisions.map((d) => d.why).join("\n")}${timed}\n\n${RECORD_MARKER} ${JSON.stringify(record)}`;
}
