// `pulumiscale validate` as a user runs it: the built bundle, over the real payload fixtures.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { repoRoot } from "../support/fleet.js";

const bundle = path.join(repoRoot, "dist", "validate.js");
const fixtures = path.join(repoRoot, "test", "fixtures");
const policyFile = path.join(fixtures, "validate", "policy.yaml");
const payloads = (...parts: string[]) => path.join(fixtures, "payloads", ...parts);

// The fixture policy has a business-hours window: every replay runs at a fixed clock (a Saturday
// noon, outside the window) unless the test gives its own --now, so no result depends on when
// the suite runs.
const OUTSIDE_THE_WINDOW = "2026-12-05T12:00:00Z";

function validate(...args: string[]) {
  const clock = args.includes("--now") ? [] : ["--now", OUTSIDE_THE_WINDOW];
  const run = spawnSync(process.execPath, [bundle, "validate", ...args, ...clock], { cwd: repoRoot, encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const scratch = mkdtempSync(path.join(tmpdir(), "pulumiscale-validate-"));
/** Writes `value` as JSON into the scratch directory and returns its path. */
function writeJson(name: string, value: unknown): string {
  const file = path.join(scratch, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}
const policy = () => parseYaml(readFileSync(policyFile, "utf8")) as { targets: { workers: Record<string, unknown> } };

describe("pulumiscale validate", () => {
  it("replays the Alertmanager and CloudWatch fixtures and prints the decisions", () => {
    const run = validate("--policy", policyFile, "--current", "workers=3", "--now", "2026-12-05T12:00:00Z", "--events", payloads("alertmanager"), "--events", payloads("cloudwatch"));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Policy " + policyFile + ": valid: 1 target (workers 1..20), 2 rules.");
    expect(run.stdout).toContain("| workers | 3 | 5 |");
    expect(run.stdout).toContain("| workers | 3 | 4 |");
    // The group's other alert matches no rule: shown with why, as in the action's summary.
    expect(run.stdout).toContain('HighCPU{service="api"} firing: CPU above 85% for 5m: no rule matches alertmanager alert "HighCPU"');
    // The EventBridge alarm matches no rule either, and it was the only signal: the warning shows.
    expect(run.stdout).toContain("> Every signal was skipped, so nothing was scaled (1 signal):");
    expect(run.stdout).toContain("6 events: 4 would scale, 2 would change nothing, 0 would fail, 0 ignored.");
  });

  it("fails for an event the action would reject, and ignores what the relay answers itself", () => {
    const run = validate("--policy", policyFile, "--events", payloads("sns"));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('The action would fail this run (nothing would change): client_payload.sns.Message: expected a CloudWatch alarm as a JSON string, got "Hello world!"');
    expect(run.stdout).toContain("sns-subscription-confirmation.json: ignored, an SNS SubscriptionConfirmation");
    expect(run.stdout).toContain("3 events: 0 would scale, 0 would change nothing, 1 would fail, 2 ignored.");
  });

  it.each<[string, (workers: Record<string, unknown>) => void, string]>([
    ["a max above the limit", (w) => (w["max"] = 2_000_000), "policy pulumiscale.targets.workers.max: expected a number at most 1000000, got 2000000"],
    ["min above max", (w) => ((w["min"] = 5), (w["max"] = 2), delete w["schedules"]), "policy pulumiscale.targets.workers.min: expected a number no greater than max, got 5"],
    ["a schedule outside the bounds", (w) => (w["max"] = 4), "policy pulumiscale.targets.workers.schedules.0.min: expected a count from 1 to 4 (the target's min and max), got 6"],
    ["a wildcard urn", (w) => (w["urn"] = "urn:pulumi:dev::fleet::*"), 'policy pulumiscale.targets.workers.urn: expected the resource\'s exact urn without "*"'],
  ])("rejects a policy with %s, naming path, value and limit, and replays nothing", (_name, breakIt, message) => {
    const broken = policy();
    breakIt(broken.targets.workers);
    const file = writeJson("broken.json", broken);
    const run = validate("--policy", file, "--events", payloads("alertmanager"));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`pulumiscale validate: ${file}: ${message}`);
  });

  it("reads the policy from `pulumi stack output --json` and its current count", () => {
    const outputs = { pulumiscale: { ...policy(), targets: { workers: { ...policy().targets.workers, current: 19 } } }, url: "https://example.com" };
    const run = validate("--policy", writeJson("outputs.json", outputs), "--events", payloads("alertmanager", "alertmanager-0.25.0-firing.raw.json"));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("workers: replayed from 19 (the file's current)");
    // Bounds hold: +2 from 19 stops at max 20.
    expect(run.stdout).toContain("| workers | 19 | 20 |");
  });

  it("checks client_payload.stack against --stack as the action does", () => {
    const event = (stack: string) => ({ action: "scale", client_payload: { stack, target: "workers", delta: 1 } });
    const staging = validate("--policy", policyFile, "--stack", "acme/web/prod", "--events", writeJson("staging.json", event("acme/web/staging")));
    expect(staging.code).toBe(1);
    expect(staging.stdout).toContain('client_payload.stack: expected "acme/web/prod" (the stack input of this step), got "acme/web/staging"');
    // The action's stack input `prod` accepts a payload naming acme/web/prod: the stack names agree.
    const prod = validate("--policy", policyFile, "--stack", "prod", "--events", writeJson("prod.json", event("acme/web/prod")));
    expect(prod.code).toBe(0);
    expect(prod.stdout).toContain("| workers | 1 | 2 |");
  });

  it("replays a workflow_dispatch event and a bare client_payload", () => {
    const manual = writeJson("manual.json", { inputs: { target: "workers", delta: "", count: "7" }, ref: "refs/heads/main" });
    const bare = writeJson("bare.json", { target: "workers", delta: -1 });
    const run = validate("--policy", policyFile, "--current", "workers=3", "--events", manual, "--events", bare);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("manual.json (workflow_dispatch event)");
    expect(run.stdout).toContain("| workers | 3 | 7 |");
    expect(run.stdout).toContain("bare.json (client_payload)");
    expect(run.stdout).toContain("| workers | 3 | 2 |");
  });

  it("replays a schedule event at --now", () => {
    const schedule = writeJson("schedule.json", { schedule: "*/15 * * * *" });
    const monday = validate("--policy", policyFile, "--now", "2026-11-30T09:00:00Z", "--events", schedule);
    expect(monday.code).toBe(0);
    // The window's floor is a bound, not a step: it holds from the first run.
    expect(monday.stdout).toContain("| workers | 1 | 6 |");
    expect(monday.stdout).toContain("business hours (min 6, Europe/Berlin) open since 2026-11-30T07:00:00.000Z");
    const saturday = validate("--policy", policyFile, "--now", "2026-12-05T09:00:00Z", "--events", schedule);
    expect(saturday.stdout).toContain("Offline replay: the action would run no update.");
  });

  it("names the flag and the value of a bad argument", () => {
    expect(validate("--policy", policyFile, "--current", "workers=lots").stderr).toContain('--current: expected <target>=<count>, such as web=4, with a count from 0 to 9999999, got "workers=lots"');
    expect(validate("--policy", policyFile, "--current", "web=2").stderr).toContain('--current: expected a target of the policy ("workers"), got "web=2"');
    expect(validate("--policy", policyFile, "--now", "tomorrow").stderr).toContain('--now: expected an ISO 8601 time such as 2026-12-01T09:00:00Z, got "tomorrow"');
    expect(validate("--events", payloads("sns")).stderr).toContain("--policy: expected a policy file");
  });
});
