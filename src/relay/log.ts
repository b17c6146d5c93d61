/**
 * One JSON object per line on stdout, for container logs and CloudWatch Logs: time, level,
 * message, then the fields (request id, endpoint, outcome, ...). Callers pass only what is safe
 * to show: never headers, bodies, query strings, secrets or tokens.
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

/** A logger that adds the same fields (a request id, an endpoint) to every line. */
export function withFields(logger: RelayLogger, fixed: Record<string, unknown>): RelayLogger {
  return {
    info: (message, fields) => logger.info(message, { ...fixed, ...fields }),
    warn: (message, fields) => logger.warn(message, { ...fixed, ...fields }),
    error: (message, fields) => logger.error(message, { ...fixed, ...fields }),
  };
}
