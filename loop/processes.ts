// Child processes and ports for the loop's servers: everything listens on loopback only.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createServer } from "node:net";

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Service {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything the process wrote, for error messages. */
  output(): string;
  /** Called with each complete line the process writes (stdout and stderr). */
  onLine(listener: (line: string) => void): void;
  stop(): Promise<void>;
}

/** Starts a long-running process whose output goes to `logFile` and to line listeners. */
export function startService(name: string, command: string, args: string[], options: { env?: NodeJS.ProcessEnv; logFile: string }): Service {
  const child = spawn(command, args, { env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  const log = createWriteStream(options.logFile);
  const listeners: ((line: string) => void)[] = [];
  let text = "";
  let partial = "";
  const take = (chunk: Buffer) => {
    const piece = chunk.toString();
    log.write(piece);
    text += piece;
    partial += piece;
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) for (const listener of listeners) listener(line);
  };
  child.stdout!.on("data", take);
  child.stderr!.on("data", take);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    name,
    child,
    output: () => text,
    onLine: (listener) => listeners.push(listener),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      log.end();
    },
  };
}

/**
 * Resolves once `url` answers 2xx. Asking again every 100 ms is the only way to learn a server
 * is up; the wait ends by itself when the process exits or after `limitMs`, which only stops a hang.
 */
export async function waitUntilReady(service: Service, url: string, limitMs = 120_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const answer = await fetch(url).catch(() => undefined);
    if (answer?.ok) return;
    if (service.child.exitCode !== null) throw new Error(`${service.name} exited (${service.child.exitCode}):\n${service.output()}`);
    if (Date.now() > deadline) throw new Error(`${service.name} did not become ready at ${url} within ${limitMs} ms:\n${service.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
