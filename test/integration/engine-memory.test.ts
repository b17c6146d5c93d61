// The engine's memory lives in the stack's own update history: through dist/index.js on a real
// stack, a cooldown holds a second alert, a redelivered SNS message never scales twice, the
// next alert after the cooldown scales again, and a schedule event raises the floor.
import { readFileSync } from "node:fs";
import path from "node:path";
import { createFleetStack, repoRoot, runAction, type FleetStack } from "../support/fleet.js";

// Long enough that the second alarm meets it however slow the machine is; then the policy is
// redeployed with a short one, so the tests after it need not wait long for it to end.
const LONG_COOLDOWN = "1h";
const SHORT_COOLDOWN_SECONDS = 5;

const snsAlarm = (messageId: string) => {
  const file = path.join(repoRoot, "test", "fixtures", "payloads", "cloudwatch", "lambda-sns-cloudwatch-alarm-single-metric.aws-lambda-go.json");
  const sns = JSON.parse(readFileSync(file, "utf8")).Records[0].Sns;
  return { source: "cloudwatch", sns: { ...sns, MessageId: messageId } };
};

/** The update messages PulumiScale wrote, newest first. */
function scalingUpdates(fleet: FleetStack): { message: string; endTime: string }[] {
  const history = JSON.parse(fleet.pulumi(["stack", "history", "--json"])) as { kind: string; message: string; endTime: string }[];
  return history.filter((entry) => entry.kind === "update" && entry.message.startsWith("PulumiScale:"));
}

/** Waits (without asserting on time) until the scale-out cooldown of the newest scaling is over. */
async function cooldownOver(fleet: FleetStack): Promise<void> {
  const ended = Date.parse(scalingUpdates(fleet)[0]!.endTime);
  // History times are whole seconds; one more second covers the rounding.
  const wait = ended + (SHORT_COOLDOWN_SECONDS + 1) * 1000 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

describe("cooldowns and redelivery, remembered through the update history", () => {
  let fleet: FleetStack;
  const alarm = (messageId: string) => runAction(fleet, { eventName: "repository_dispatch", event: { client_payload: snsAlarm(messageId) } });

  const policy = (scaleOut: string) => ({
    rules: [{ match: { source: "cloudwatch", name: "EXAMPLE" }, target: "workers", firing: "+2" }],
    workers: { cooldown: { scaleOut } },
  });

  beforeAll(() => {
    fleet = createFleetStack({ workerCount: 3, bounds: { max: 20 }, policy: policy(LONG_COOLDOWN) });
  });

  it("the first alarm scales 3 → 5 and records its MessageId in the update message", () => {
    const run = alarm("message-1");
    expect(run.code).toBe(0);
    expect(fleet.poolSizeOnDisk()).toBe(5);
    const [update] = scalingUpdates(fleet);
    expect(update!.message).toMatch(/^pulumiscale-record: .*"applied":\["message-1"\]/m);
  });

  it("a second alarm inside the cooldown is held: one scaling, not two", () => {
    const run = alarm("message-2");
    expect(run.code).toBe(0);
    expect(run.outputs["changed"]).toBe("false");
    expect(fleet.poolSizeOnDisk()).toBe(5);
    expect(scalingUpdates(fleet)).toHaveLength(1);
    expect(run.summary).toContain("**Held back**");
    expect(run.summary).toMatch(/cooldown\.scaleOut \(3600s\) after 3 → 5 at .*: asked 7, allowed 5/);
  });

  it("the same MessageId delivered again, after the cooldown, is skipped as a redelivery", async () => {
    // A normal deploy of the program with a short cooldown: the history keeps the first scaling.
    fleet.pulumi(["config", "set", "policy", JSON.stringify(policy(`${SHORT_COOLDOWN_SECONDS}s`))]);
    fleet.pulumi(["up", "--yes", "--skip-preview"]);
    await cooldownOver(fleet);
    const run = alarm("message-1");
    expect(run.code).toBe(0);
    expect(run.outputs["changed"]).toBe("false");
    expect(fleet.poolSizeOnDisk()).toBe(5);
    expect(run.summary).toMatch(/\*\*Skipped\*\*[\s\S]*redelivery: id "message-1" was already applied by the update of /);
    expect(scalingUpdates(fleet)).toHaveLength(1);
  });

  it("after the cooldown, the next alarm scales again", () => {
    const run = alarm("message-3");
    expect(run.code).toBe(0);
    expect(fleet.poolSizeOnDisk()).toBe(7);
    expect(run.outputs).toMatchObject({ changed: "true", previous: "5", desired: "7" });
    expect(scalingUpdates(fleet)).toHaveLength(2);
  });
});

/** A five-field cron for the wall-clock minute `offsetMinutes` from now in `timeZone`. */
function cronAt(timeZone: string, offsetMinutes: number): string {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", hour: "numeric", minute: "numeric" }).formatToParts(
    new Date(Date.now() + offsetMinutes * 60_000),
  );
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return `${part("minute")} ${part("hour")} * * *`;
}

describe("a schedule event", () => {
  let fleet: FleetStack;
  const scheduleEvent = () => runAction(fleet, { eventName: "schedule", event: { schedule: "*/5 * * * *" } });

  beforeAll(() => {
    fleet = createFleetStack({
      workerCount: 3,
      bounds: { max: 20, maxStep: 1 },
      policy: {
        workers: {
          schedules: [
            // Opened ten minutes ago on Tokyo's clock, for two hours.
            { name: "tokyo-peak", cron: cronAt("Asia/Tokyo", -10), duration: "2h", timezone: "Asia/Tokyo", min: 6 },
            // Opens in three hours on New York's clock: not yet.
            { name: "later", cron: cronAt("America/New_York", 180), duration: "1h", timezone: "America/New_York", min: 9 },
          ],
        },
      },
    });
  });

  it("raises the floor of an open window with no alert, past the step limit", () => {
    const run = scheduleEvent();
    expect(run.stderr).not.toMatch(/::error::/);
    expect(run.code).toBe(0);
    expect(fleet.poolSizeOnDisk()).toBe(6);
    expect(run.outputs).toMatchObject({ changed: "true", previous: "3", desired: "6" });
    expect(run.summary).toContain("**Schedule windows open**");
    expect(run.summary).toMatch(/tokyo-peak \(min 6, Asia\/Tokyo\) open since/);
    expect(run.summary).not.toContain("later (");
    expect(run.summary).toMatch(/scheduleMin 6 \(schedule tokyo-peak\) limited 3 to 6/);
  });

  it("holds the floor against a request to scale in", () => {
    const run = runAction(fleet, { eventName: "repository_dispatch", event: { client_payload: { source: "delta", target: "workers", delta: -1 } } });
    expect(run.code).toBe(0);
    expect(run.outputs["changed"]).toBe("false");
    expect(fleet.poolSizeOnDisk()).toBe(6);
  });

  it("a second schedule event changes nothing", () => {
    const run = scheduleEvent();
    expect(run.code).toBe(0);
    expect(run.outputs["changed"]).toBe("false");
    expect(scalingUpdates(fleet)).toHaveLength(1);
  });
});
