import { PayloadError } from "../adapters/signal.js";
import { InputError } from "../errors.js";
import { renderSummary } from "../report/summary.js";
import { parseValidateArgs, USAGE } from "./args.js";
import { replayEventOf } from "./event-shapes.js";
import { readEventFiles, readPolicyFile } from "./files.js";
import { loadPolicy } from "./policy-file.js";
import { replay } from "./replay.js";

export interface Console {
  out(text: string): void;
  err(text: string): void;
}

/** `pulumiscale validate …`: returns the exit status; prints the report to `out`, problems to `err`. */
export function runValidate(argv: readonly string[], console: Console, clock?: () => Date): number {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.out(`${USAGE}\n`);
    return 0;
  }
  let policyFile = "";
  try {
    const options = parseValidateArgs(argv, clock);
    const { value } = readPolicyFile(options.policy);
    policyFile = options.policy;
    const { policy, counts } = loadPolicy(value, options.current);
    const rules = policy.rules?.length ?? 0;
    const targets = Object.entries(policy.targets).map(([name, t]) => `${name} ${t.min}..${t.max}`);
    console.out(`Policy ${options.policy}: valid: ${targets.length} ${targets.length === 1 ? "target" : "targets"} (${targets.join(", ")}), ${rules} ${rules === 1 ? "rule" : "rules"}.\n`);
    for (const line of counts) console.out(`  ${line}\n`);
    policyFile = "";
    const tally = { scale: 0, unchanged: 0, rejected: 0, ignored: 0 };
    for (const { file, value } of readEventFiles(options.events)) {
      const read = replayEventOf(value, file);
      if (read.kind === "ignored") {
        tally.ignored++;
        console.out(`\n== ${file}: ignored, ${read.why}\n`);
        continue;
      }
      console.out(`\n== ${file} (${read.shape})\n`);
      try {
        const outcome = replay(policy, read.event, { ...(options.stack ? { stack: options.stack } : {}), now: options.now });
        if (outcome.decisions.some((d) => d.changed)) tally.scale++;
        else tally.unchanged++;
        console.out(renderSummary(outcome));
      } catch (error) {
        if (!(error instanceof InputError || error instanceof PayloadError)) throw error;
        tally.rejected++;
        console.out(`The action would fail this run (nothing would change): ${error.message}\n`);
      }
    }
    const total = tally.scale + tally.unchanged + tally.rejected + tally.ignored;
    if (total > 0) {
      console.out(`\n${total} ${total === 1 ? "event" : "events"}: ${tally.scale} would scale, ${tally.unchanged} would change nothing, ${tally.rejected} would fail, ${tally.ignored} ignored.\n`);
    }
    return tally.rejected > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof InputError || error instanceof PayloadError) {
      console.err(`pulumiscale validate: ${policyFile ? `${policyFile}: ` : ""}${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
