/** Who holds a stack lock, as the CLI reports it for file and cloud-storage backends. */
export interface LockHolder {
  /** `user@host`. */
  readonly owner: string;
  readonly pid?: number;
  readonly createdAt: Date;
}

const lockLine = /created by (\S+?)(?: \(pid (\d+)\))? at (\S+)/g;

/**
 * Reads the lock holders from the CLI's "the stack is currently locked" error. Pulumi Cloud's
 * 409 names no holder: the list is then empty.
 */
export function parseLockHolders(stderr: string): LockHolder[] {
  const holders: LockHolder[] = [];
  for (const match of stderr.matchAll(lockLine)) {
    const createdAt = new Date(match[3]!);
    if (Number.isNaN(createdAt.getTime())) continue;
    holders.push({ owner: match[1]!, ...(match[2] ? { pid: Number(match[2]) } : {}), createdAt });
  }
  return holders;
}

/** "3h 12m", "45s": how long ago, for messages. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours}h ${minutes % 60}m` : `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

export function describeHolders(holders: readonly LockHolder[], now: Date): string {
  if (holders.length === 0) return "another update (the backend does not say which)";
  return holders
    .map((h) => `${h.owner}${h.pid ? ` (pid ${h.pid})` : ""} since ${h.createdAt.toISOString()} (${formatAge(now.getTime() - h.createdAt.getTime())} ago)`)
    .join("; ");
}
