/**
 * One JSON object per line on stdout, for container logs and CloudWatch Logs. Callers pass only
 * what is safe to show: never headers, bodies, secrets or tokens.
 */
export interface RelayLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(line)): RelayLogger {
  const entry = (level: string) => (message: string, fields: Record<string, unknown> = {}) =>
    write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
  return { info: entry("info"), warn: entry("warn"), error: entry("error") };
}
