import { readRelayConfig, RelayConfigError } from "./config.js";
import { jsonLogger } from "./log.js";
import { Relay } from "./relay.js";
import { startScheduleTimer } from "./schedule-timer.js";
import { createRelayServer, listen } from "./server.js";

/** `node dist/relay/server.mjs`: the relay as a long-running HTTP service, configured by RELAY_* variables. */
async function main(): Promise<void> {
  const logger = jsonLogger();
  let config;
  try {
    config = readRelayConfig(process.env);
  } catch (error) {
    if (error instanceof RelayConfigError) {
      logger.error(`cannot start: ${error.message}`, { docs: "docs/relay.md#configuration" });
      process.exit(2);
    }
    throw error;
  }
  const relay = new Relay(config, { logger });
  const server = createRelayServer(relay, config);
  const url = await listen(server, config.port, config.host);
  logger.info("listening", { url, endpoints: relay.enabledEndpoints(), githubApi: config.github.apiUrl });
  const stopTicks = config.schedule ? startScheduleTimer(relay, config.schedule) : () => {};
  if (config.schedule) logger.info("schedule ticks on", { cron: config.schedule.text, timezone: config.schedule.timezone });

  const stop = (signal: string) => {
    logger.info("stopping", { signal });
    stopTicks();
    // In-flight dispatches finish (each is bounded by RELAY_GITHUB_TIMEOUT_MS); new ones are refused.
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

await main();
