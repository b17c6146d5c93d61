import { parseArgs } from "node:util";
import { InputError } from "../errors.js";

/** What `pulumiscale validate` was asked to do. */
export interface ValidateOptions {
  /** The policy file: JSON or YAML, the policy itself or `pulumi stack output --json`. */
  readonly policy: string;
  /** Event files and directories, in the order given. */
  readonly events: readonly string[];
  /** Deployed counts to replay from, by target; they replace the file's `current`. */
  readonly current: ReadonlyMap<string, number>;
  /** The stack the workflow step would name (its `stack` input); each event's own when absent. */
  readonly stack?: string;
  /** The clock of the replayed runs (schedules, the update message). */
  readonly now: Date;
}

export const USAGE = `Usage: pulumiscale validate --policy <file.json|file.yaml> [--events <file-or-dir> ...]
                           [--current <target>=<count> ...] [--stack <name>] [--now <ISO 8601>]

Checks a scaling policy offline and replays saved events against it, printing the decisions
the action's step summary would show. Nothing is deployed or changed.

  --policy   the policy as JSON or YAML: the policy object itself, or the output of
             \`pulumi stack output --json\` (its "pulumiscale" entry is used)
  --events   a repository_dispatch event, a schedule or workflow_dispatch event, a bare
             client_payload, or a raw Alertmanager, SNS or EventBridge body; a directory
             replays every .json file in it (recursively, in name order). Repeatable.
  --current  the deployed count of a target, e.g. --current web=4 (default: the file's
             current, else the target's min). Repeatable.
  --stack    the action's stack input, to check client_payload.stack as the action does
  --now      the time of the replayed runs, e.g. 2026-12-01T09:00:00Z (default: now)

Exit status: 0 when the policy is valid and every event was read, 1 otherwise.`;

/** Reads the command line after `validate`. Every problem names the flag and quotes the value. */
export function parseValidateArgs(argv: readonly string[], clock: () => Date = () => new Date()): ValidateOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        policy: { type: "string" },
        events: { type: "string", multiple: true },
        current: { type: "string", multiple: true },
        stack: { type: "string" },
        now: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new InputError("arguments", argv.join(" "), `the options below (${(error as Error).message})\n\n${USAGE}`);
  }
  const { values } = parsed;
  if (!values.policy) throw new InputError("--policy", values.policy, `a policy file\n\n${USAGE}`);
  const current = new Map<string, number>();
  for (const entry of values.current ?? []) {
    const match = /^([^=]+)=(\d{1,7})$/.exec(entry);
    if (!match) throw new InputError("--current", entry, "<target>=<count>, such as web=4, with a count from 0 to 9999999");
    current.set(match[1]!, Number(match[2]));
  }
  let now = clock();
  if (values.now !== undefined) {
    now = new Date(values.now);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(values.now) || Number.isNaN(now.getTime())) {
      throw new InputError("--now", values.now, "an ISO 8601 time such as 2026-12-01T09:00:00Z");
    }
  }
  return { policy: values.policy, events: values.events ?? [], current, ...(values.stack ? { stack: values.stack } : {}), now };
}
