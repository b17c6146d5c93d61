// The same scaling as the action, made through the Pulumi Automation API the way its docs show:
// `LocalWorkspace.selectStack`, `setConfig`, `up({ target })`, plus the reads the action needs to
// decide (the policy output and the update history). bench/scaling.ts runs this file as its own
// process beside the raw CLI and the action, so the decision to drive the CLI directly
// (docs/decisions.md) is re-measured on every SDK upgrade.
//
// Usage: node bench/automation.ts <work-dir> <stack> <target urn> <count> [--no-reads]
import automation from "@pulumi/pulumi/automation/index.js";

const { LocalWorkspace } = automation;

/** One scaling through the Automation API; resolves with the update's result. */
export async function scaleThroughAutomationApi(options: {
  workDir: string;
  stackName: string;
  urn: string;
  count: number;
  /** Also read the outputs and the history first, as a scaling run must. */
  reads: boolean;
}): Promise<string> {
  const stack = await LocalWorkspace.selectStack({ stackName: options.stackName, workDir: options.workDir });
  if (options.reads) await Promise.all([stack.outputs(), stack.history(20)]);
  await stack.setConfig("workerCount", { value: String(options.count) });
  const result = await stack.up({ target: [options.urn], message: `bench: workers → ${options.count}` });
  return result.summary.result;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const [workDir, stackName, urn, count] = process.argv.slice(2);
  if (!workDir || !stackName || !urn || !count) {
    console.error("usage: node bench/automation.ts <work-dir> <stack> <target urn> <count> [--no-reads]");
    process.exit(2);
  }
  const result = await scaleThroughAutomationApi({ workDir, stackName, urn, count: Number(count), reads: !process.argv.includes("--no-reads") });
  if (result !== "succeeded") {
    console.error(`the update ended with ${result}`);
    process.exit(1);
  }
}
