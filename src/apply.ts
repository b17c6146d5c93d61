import type { Decision } from "./engine/decision.js";
import { ActionError } from "./errors.js";
import { planCommit, type CommitPlan } from "./git/choose-committer.js";
import type { CommitBackResult } from "./git/committer.js";
import { parsePolicy, type Policy } from "./policy/schema.js";
import type { PulumiRunner, UpdateReport, UpdateRequest } from "./pulumi/runner.js";
import { updateMessage } from "./report/message.js";
import { checkPlan, describeUnchanged, unchangedTargets } from "./safety/preview-gate.js";
import type { Settings } from "./settings.js";
import { measureTimings, type Instants } from "./timings/stages.js";

/** What happened to the stack settings file after the update. */
export type CommitOutcome =
  | { readonly status: "pushed"; readonly result: CommitBackResult }
  | { readonly status: "skipped"; readonly why: string }
  | { readonly status: "failed"; readonly error: string };

export interface ApplyOutcome {
  /** The update, or the targeted preview on a dry run. */
  readonly update: UpdateReport;
  /** What the preview gate found; absent when it did not run. */
  readonly gate?: { readonly violations: readonly string[] };
  /** Absent on a dry run. */
  readonly commit?: CommitOutcome;
  /** Targets that already ran at the new count when the update came (another run got there first). */
  readonly alreadyAt: readonly string[];
  /** The instants given, and when the preview and the update began, the update ended and the commit landed. */
  readonly instants?: Instants;
  /** Plugins the preview or the update had to download: a cache step is missing. */
  readonly pluginDownloads?: readonly string[];
}

/**
 * Applies the changed decisions: a targeted preview checked by the gate, the targeted update, and
 * the new counts committed back where the next `pulumi up` reads them. Nothing is committed
 * unless the update succeeded; a gate violation stops before anything changes.
 */
export async function applyDecisions(
  runner: PulumiRunner,
  settings: Settings,
  policy: Policy,
  decisions: readonly Decision[],
  signal?: AbortSignal,
  env: NodeJS.ProcessEnv = process.env,
  given: Instants = {},
  now: () => Date = () => new Date(),
): Promise<ApplyOutcome> {
  // How the config is committed back is settled before anything changes, so a setting that
  // cannot work fails the step with nothing changed; a dry run commits nothing and needs none.
  const commitPlan = settings.dryRun ? undefined : await planCommit(settings, env);
  const changed = decisions.filter((decision) => decision.changed);
  // The update message and the commit say where the time went up to the moment they are written.
  const instants: { -readonly [P in keyof Instants]: Instants[P] } = { ...given };
  const stamp = (point: keyof Instants) => (instants[point] = now().toISOString());
  const message = () => updateMessage(decisions, measureTimings(instants));
  const request: UpdateRequest = {
    changes: changed.map((decision) => ({ key: decision.configKey, value: decision.to })),
    urns: changed.map((decision) => decision.urn),
    message: updateMessage(decisions),
    dryRun: false,
    targetDependents: settings.targetDependents,
  };
  const allTargets = changed.map((d) => ({ name: d.target, urn: d.urn, allowReplace: policy.targets[d.target]?.allowReplace ?? false }));
  // Targets another run has already brought to the new count: the update leaves them alone, and
  // that is no fault of the policy. Read again only when a plan leaves a target alone.
  const alreadyAt = new Set<string>();
  const settle = async (steps: UpdateReport["steps"]) => {
    const untouched = unchangedTargets(steps, allTargets.filter((target) => !alreadyAt.has(target.name)));
    if (untouched.length === 0) return;
    const now = await deployedCounts(runner, settings);
    for (const target of untouched) {
      if (now[target.name] === changed.find((d) => d.target === target.name)?.to) alreadyAt.add(target.name);
    }
  };
  const targets = () => allTargets.filter((target) => !alreadyAt.has(target.name));
  let gate: ApplyOutcome["gate"];
  const downloaded = new Set<string>();
  if (settings.previewGate || settings.dryRun) {
    stamp("previewBegan");
    const preview = await runner.update({ ...request, message: message(), dryRun: true }, signal);
    for (const plugin of preview.pluginDownloads ?? []) downloaded.add(plugin);
    await settle(preview.steps);
    gate = { violations: checkPlan(preview.steps, targets(), settings.targetDependents) };
    if (settings.dryRun) return { update: preview, gate, alreadyAt: [...alreadyAt], instants, pluginDownloads: [...downloaded] };
    if (gate.violations.length > 0) {
      throw new ActionError(
        `The preview gate stopped the update of stack ${JSON.stringify(settings.stack)}; nothing was changed. The targeted preview:\n` +
          gate.violations.map((line) => `  - ${line}`).join("\n"),
        "Check each target's urn in the policy (it must be the exact URN of one resource, e.g. pool.urn, not a wildcard), " +
          "set allowReplace on a target that may be replaced, or set preview-gate: false to skip the check.",
      );
    }
  }
  stamp("updateBegan");
  const update = await runner.update({ ...request, message: message() }, signal);
  stamp("applied");
  for (const plugin of update.pluginDownloads ?? []) downloaded.add(plugin);
  await settle(update.steps);
  const untouched = unchangedTargets(update.steps, targets());
  if (untouched.length > 0) {
    throw new ActionError(
      `The targeted update of stack ${JSON.stringify(settings.stack)} ran but changed no target, so nothing was committed:\n` +
        untouched.map((target) => `  - ${describeUnchanged(target, "did not")}`).join("\n"),
      "The job's copy of the stack config now holds the new count; the repository does not. Fix the policy, then run the scaling again.",
    );
  }
  const commit = await commitSettings(runner, commitPlan!, changed, message(), async () => {
    const now = await deployedCounts(runner, settings);
    return Object.fromEntries(
      changed.flatMap((d) => (now[d.target] === undefined ? [] : [[runner.qualifiedConfigKey(d.configKey), now[d.target]!]])),
    );
  });
  if (commit.status === "pushed") stamp("committed");
  return { update, ...(gate ? { gate } : {}), commit, alreadyAt: [...alreadyAt], instants, pluginDownloads: [...downloaded] };
}

/** The deployed count of every target, read again from the stack. */
async function deployedCounts(runner: PulumiRunner, settings: Settings): Promise<Record<string, number>> {
  const outputs = await runner.readOutputs(settings.policyOutput);
  const now = parsePolicy(outputs[settings.policyOutput], settings.policyOutput);
  return Object.fromEntries(Object.entries(now.targets).map(([name, target]) => [name, target.current]));
}

/**
 * Commits the settings file back. Runs after a successful update, so it never throws: whatever
 * goes wrong becomes a "failed" outcome, which the step reports with how to reconcile.
 */
async function commitSettings(
  runner: PulumiRunner,
  plan: CommitPlan,
  changed: readonly Decision[],
  message: string,
  readDeployed: () => Promise<Record<string, number>>,
): Promise<CommitOutcome> {
  if ("skip" in plan) return { status: "skipped", why: plan.skip };
  try {
    const result = await plan.committer.commit({
      settingsFile: runner.settingsFile,
      changes: changed.map((d) => ({ key: runner.qualifiedConfigKey(d.configKey), value: d.to })),
      message,
      readDeployed,
    });
    return { status: "pushed", result };
  } catch (error) {
    return { status: "failed", error: error instanceof Error ? error.message : String(error) };
  }
}

/** The failure message for a commit-back that did not land, with how to reconcile. */
export function commitFailureMessage(settings: Settings, decisions: readonly Decision[], error: string): string {
  const changed = decisions.filter((d) => d.changed);
  const applied = changed.map((d) => `${d.target} ${d.from} → ${d.to}`).join(", ");
  const commands = changed.map((d) => `pulumi config set ${d.configKey} ${d.to} --stack ${settings.stack}`).join(" && ");
  return (
    `The scaling was applied (${applied}; the stack state and the infrastructure hold the new counts), ` +
    `but committing the stack config back failed: ${error}\n` +
    `Until the repository holds the new counts, a normal pulumi up will scale back. ` +
    `Give the workflow permission to commit (permissions: contents: write, and allow it through branch protection or the branch's rulesets), ` +
    `or commit the counts yourself: ${commands}, then commit and push the stack settings file.`
  );
}
