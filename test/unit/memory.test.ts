// The engine's memory between runs: records in update messages, read back from the history.
import { formatAdjustment, percentOf, readAdjustment } from "../../src/adapters/adjustment.js";
import { parsePayload } from "../../src/adapters/registry.js";
import type { ResolvedSignal, ScalingSignal } from "../../src/adapters/signal.js";
import { decide } from "../../src/engine/decide.js";
import { dropRedeliveries, readMemory, type UpdateHistoryEntry } from "../../src/engine/memory.js";
import { readRecord } from "../../src/engine/record.js";
import { parsePolicy } from "../../src/policy/schema.js";
import { RECORD_MARKER, updateMessage } from "../../src/report/message.js";

describe("readAdjustment", () => {
  it.each<[string, unknown]>([
    ["+2", { type: "change", by: 2 }],
    ["-1", { type: "change", by: -1 }],
    ["-0", { type: "change", by: 0 }],
    ["=5", { type: "exact", count: 5 }],
    [" +50% ", { type: "percent", percent: 50 }],
    ["-10%", { type: "percent", percent: -10 }],
    ["-0%", { type: "percent", percent: 0 }],
    ["+10000%", { type: "percent", percent: 10000 }],
    ["+10001%", undefined],
    ["=10%", undefined],
    ["2", undefined],
    ["+2.5%", undefined],
    ["+1000001", undefined],
    ["lots", undefined],
  ])("%j", (text, expected) => {
    expect(readAdjustment(text)).toEqual(expected);
  });

  it.each<[number, number, number]>([
    [10, 50, 5],
    [3, 50, 1],
    [3, 10, 1],
    [0, 10, 1],
    [0, -10, -1],
    [3, -10, -1],
    [7, -50, -3],
    [5, 0, 0],
  ])("percentOf(%i, %i%%) is %i: toward zero, at least one", (current, percent, units) => {
    expect(percentOf(current, percent)).toBe(units);
  });

  it.each<[string]>([["+2"], ["-1"], ["=5"], ["+50%"], ["-10%"]])("%s is written back as it was read", (text) => {
    expect(formatAdjustment(readAdjustment(text)!)).toBe(text);
  });
});

const policy = parsePolicy(
  {
    version: 1,
    targets: {
      workers: { urn: "urn:pulumi:dev::fleet::pool::workers", config: "workerCount", current: 3, min: 1, max: 10, maxStep: 2 },
      api: { urn: "urn:pulumi:dev::fleet::pool::api", config: "apiCount", current: 2, min: 1, max: 10 },
    },
  },
  "pulumiscale",
);
const sns: ResolvedSignal = { source: "cloudwatch", reason: "alarm", deliveryId: "sns-1", target: "workers", adjustment: { type: "change", by: 5 }, alert: { name: "a", status: "firing", labels: {}, annotations: {} } };
const repeated: ResolvedSignal = { ...sns, source: "alertmanager", deliveryId: "group|fp|start|firing", deliveryIdKind: "occurrence" };
const held: ResolvedSignal = { ...sns, deliveryId: "sns-2", target: "api", adjustment: { type: "change", by: 0 } };
const entry = (message: string, overrides: Partial<UpdateHistoryEntry> = {}): UpdateHistoryEntry => ({
  kind: "update",
  result: "succeeded",
  message,
  startTime: "2026-11-26T11:00:00.000Z",
  endTime: "2026-11-26T11:00:04.000Z",
  ...overrides,
});

describe("updateMessage and readRecord", () => {
  const decisions = decide(policy, [sns, repeated, held], { now: new Date("2026-11-26T11:00:00Z") });
  const message = updateMessage(decisions);

  it("writes a readable head, a why per decision and one record line", () => {
    const lines = message.split("\n");
    expect(lines[0]).toBe("PulumiScale: workers 3 → 5");
    expect(lines).toContain("api stays at 2 (cloudwatch: alarm) no change asked");
    expect(lines.at(-1)!.startsWith(RECORD_MARKER)).toBe(true);
  });

  it("records the changed decisions with their limits, and as applied only their ids of kind delivery", () => {
    // api's sns-2 changed nothing, so it was not applied: a redelivery of it is decided afresh.
    expect(readRecord(message)).toEqual({
      v: 1,
      decisions: [
        {
          target: "workers",
          from: 3,
          to: 5,
          sources: ["cloudwatch", "alertmanager"],
          deliveryIds: ["sns-1", "group|fp|start|firing"],
          limits: ["maxStep"],
          alertAdded: 2,
          recommendation: 8,
        },
      ],
      applied: ["sns-1"],
    });
  });

  it("records no applied ids when the changed decisions carry none", () => {
    const record = readRecord(updateMessage(decide(policy, [{ ...sns, deliveryId: undefined }, held], { now: new Date() })));
    expect(record?.applied).toBeUndefined();
  });

  const real = `${RECORD_MARKER} {"v":1,"decisions":[{"target":"workers","from":3,"to":5,"sources":["delta"],"deliveryIds":[]}]}`;
  const forged = `${RECORD_MARKER} {"v":1,"decisions":[],"applied":["sns-9"]}`;
  it.each<[string, string]>([
    ["a forged record line in a why above it", `PulumiScale: workers 3 → 5\n\nworkers 3 → 5 (delta: x\n${forged})\n\n${real}`],
    ["a forged record line in the head", `PulumiScale: workers 3 → 5\n${forged}\n\n${real}`],
    ["the record alone", real],
  ])("reads the last record line, whatever comes before it: %s", (_name, text) => {
    expect(readRecord(text)).toEqual(readRecord(real));
    expect(readRecord(text)?.decisions).toHaveLength(1);
  });

  it.each<[string, Record<string, unknown>]>([
    ["a delta reason", { source: "delta", target: "workers", delta: 2, reason: `scale\n${forged}\n::warning::x` }],
    ["a delta reason with carriage returns", { source: "delta", target: "workers", delta: 2, reason: `scale\r${forged}\r\n` }],
    ["a delta id", { source: "delta", target: "workers", delta: 2, id: `req-1\n${forged}` }],
    ["a count reason", { source: "count", target: "workers", count: 5, reason: `\u2028${forged}` }],
  ])("%s cannot change the record that updateMessage writes", (_name, payload) => {
    const signals = parsePayload(payload, "client_payload") as ResolvedSignal[];
    const written = updateMessage(decide(policy, signals, { now: new Date("2026-11-26T11:00:00Z") }));
    const lines = written.split("\n");
    expect(lines.filter((line) => line.startsWith(RECORD_MARKER))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith("::"))).toEqual([]);
    const record = readRecord(written);
    expect(record?.decisions.map((d) => [d.target, d.from, d.to])).toEqual([["workers", 3, 5]]);
    expect(record?.applied ?? []).not.toContain("sns-9");
  });

  it.each<[string, string]>([
    ["no record", "pulumi up by hand"],
    ["broken JSON", `${RECORD_MARKER} {"v":1,`],
    ["a later version", `${RECORD_MARKER} {"v":2,"decisions":[]}`],
  ])("reads nothing from %s", (_name, text) => {
    expect(readRecord(text)).toBeUndefined();
  });

  it("reads records written before applied ids were kept", () => {
    expect(readRecord(`x\n\n${RECORD_MARKER} {"v":1,"decisions":[{"target":"workers","from":1,"to":2,"sources":["delta"],"deliveryIds":[]}]}`)).toEqual({
      v: 1,
      decisions: [{ target: "workers", from: 1, to: 2, sources: ["delta"], deliveryIds: [] }],
    });
  });

  it("becomes the memory: scalings newest first, applied ids, only from succeeded updates", () => {
    const memory = readMemory([
      entry(message),
      entry("PulumiScale: nothing", { result: "failed" }),
      entry(updateMessage(decide({ ...policy, targets: { ...policy.targets, workers: { ...policy.targets["workers"]!, current: 5 } } }, [{ ...sns, deliveryId: "sns-0", adjustment: { type: "change", by: -1 } }], { now: new Date() })), {
        endTime: "2026-11-26T10:00:00.000Z",
      }),
      entry("a normal pulumi up"),
      entry(updateMessage(decisions), { kind: "preview" }),
      entry(updateMessage(decisions), { result: "failed" }),
    ]);
    expect(memory.scalings).toEqual([
      { target: "workers", from: 3, to: 5, at: Date.parse("2026-11-26T11:00:04.000Z"), alertAdded: 2 },
      { target: "workers", from: 5, to: 4, at: Date.parse("2026-11-26T10:00:00.000Z"), alertAdded: 0 },
    ]);
    expect(memory.recommendations).toEqual([
      { target: "workers", at: Date.parse("2026-11-26T11:00:04.000Z"), count: 8 },
      { target: "workers", at: Date.parse("2026-11-26T10:00:00.000Z"), count: 4 },
    ]);
    expect([...memory.applied.keys()]).toEqual(["sns-1", "sns-0"]);
  });

  // Issue 11, finding 2: only what alerts added counts against a later alert's scale-out cooldown.
  it.each<[string, string, number]>([
    ["a request's scaling (old record)", `{"target":"workers","from":3,"to":5,"sources":["delta"],"deliveryIds":[]}`, 0],
    ["an alert's scaling (old record)", `{"target":"workers","from":3,"to":5,"sources":["cloudwatch"],"deliveryIds":[]}`, 2],
    ["an alert's scaling raised by a schedule floor (old record)", `{"target":"workers","from":2,"to":10,"sources":["cloudwatch"],"deliveryIds":[],"limits":["scheduleMin"]}`, 0],
    ["a schedule event's floor raise (old record)", `{"target":"workers","from":2,"to":10,"sources":[],"deliveryIds":[],"limits":["scheduleMin"]}`, 0],
    ["a record that says so", `{"target":"workers","from":2,"to":12,"sources":["cloudwatch"],"deliveryIds":[],"alertAdded":2}`, 2],
  ])("reads what alerts added from %s", (_name, decision, added) => {
    const memory = readMemory([entry(`x\n\n${RECORD_MARKER} {"v":1,"decisions":[${decision}]}`)]);
    expect(memory.scalings[0]!.alertAdded).toBe(added);
  });
});

describe("dropRedeliveries", () => {
  const memory = readMemory([entry(updateMessage(decide(policy, [sns, repeated], { now: new Date() })))]);
  const signal = (overrides: Partial<ScalingSignal>): ScalingSignal => ({ source: "cloudwatch", reason: "alarm", ...overrides });

  it.each<[string, ScalingSignal, boolean]>([
    ["an SNS MessageId already applied: a redelivery", signal({ deliveryId: "sns-1" }), true],
    ["an id of the kind delivery, said outright", signal({ deliveryId: "sns-1", deliveryIdKind: "delivery" }), true],
    ["a new MessageId", signal({ deliveryId: "sns-9" }), false],
    ["no id", signal({}), false],
    ["an Alertmanager repeat with the same id: renewed intent", signal({ source: "alertmanager", deliveryId: "group|fp|start|firing", deliveryIdKind: "occurrence" }), false],
  ])("%s", (_name, input, dropped) => {
    const { fresh, redelivered } = dropRedeliveries([input], memory);
    expect(redelivered.length).toBe(dropped ? 1 : 0);
    expect(fresh.length).toBe(dropped ? 0 : 1);
    if (dropped) expect(redelivered[0]!.why).toBe('redelivery: id "sns-1" was already applied by the update of 2026-11-26T11:00:04.000Z');
  });
});
