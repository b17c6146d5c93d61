/** A stack config change the scaling made: the key as written in the file (`project:key`) and its value. */
export interface ConfigChange {
  readonly key: string;
  readonly value: number;
}

/** A scaled key someone else changed upstream in the meantime: the deployed value replaced theirs. */
export interface OverriddenKey {
  readonly key: string;
  readonly upstream: string;
  readonly deployed: number;
}

/** The value of `key` in a stack settings file, as text, for the plain scalars PulumiScale writes. */
export function readConfigScalar(yaml: string, key: string): string | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`^\\s+${escaped}:\\s*"?([^"\\n]*?)"?\\s*$`, "m").exec(yaml);
  return match?.[1];
}

/** Sets plain scalar `key: "value"` lines under `config:`, adding the line when it is missing. */
export function writeConfigScalar(yaml: string, key: string, value: string): string {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const line = new RegExp(`^(\\s+)${escaped}:.*$`, "m");
  if (line.test(yaml)) return yaml.replace(line, (_all, indent: string) => `${indent}${key}: "${value}"`);
  if (/^config:\s*$/m.test(yaml)) return yaml.replace(/^config:\s*$/m, `config:\n  ${key}: "${value}"`);
  return `${yaml.replace(/\s*$/, "\n")}config:\n  ${key}: "${value}"\n`;
}

export interface UpstreamMerge {
  /** The settings file as it was at the checkout's commit. */
  readonly base: string;
  /** The settings file at the branch head now ("" when the branch has no such file). */
  readonly upstream: string;
  /** The job's settings file, holding the new counts. */
  readonly ours: string;
  readonly changes: readonly ConfigChange[];
  /** Reads what is deployed now, by config key. */
  readonly readDeployed: () => Promise<Readonly<Record<string, number>>>;
}

/**
 * The settings file to commit on top of the branch head, the same rule for every way of
 * committing: when the file did not change upstream, the job's file is taken as it is; when it
 * did, only the scaled keys are written into the upstream file; a scaled key that changed
 * upstream (another run or a person got there in between) gets the value deployed now, read
 * again, because the config must say what runs; a differing upstream value is reported.
 */
export async function mergeOntoUpstream(merge: UpstreamMerge): Promise<{ content: string; overridden: OverriddenKey[] }> {
  const { base, upstream } = merge;
  if (upstream === base) return { content: merge.ours, overridden: [] };
  const changedUpstream = merge.changes.filter((change) => readConfigScalar(upstream, change.key) !== readConfigScalar(base, change.key));
  const deployed = changedUpstream.length > 0 ? await merge.readDeployed() : {};
  const overridden: OverriddenKey[] = [];
  let content = upstream;
  for (const change of merge.changes) {
    const theirs = readConfigScalar(upstream, change.key);
    const value = deployed[change.key] ?? change.value;
    if (changedUpstream.includes(change) && theirs !== String(value)) {
      overridden.push({ key: change.key, upstream: theirs ?? "(removed)", deployed: value });
    }
    content = writeConfigScalar(content, change.key, String(value));
  }
  return { content, overridden };
}
