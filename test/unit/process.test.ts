import { runProcess } from "../../src/process.js";

describe("runProcess", () => {
  it("collects stdout and stderr and the exit code, streaming stdout", async () => {
    const streamed: string[] = [];
    const result = await runProcess("sh", ["-c", "echo out; echo err >&2; exit 3"], { cwd: "/", onStdout: (text) => streamed.push(text) });
    expect(result).toEqual({ stdout: "out\n", stderr: "err\n", exitCode: 3 });
    expect(streamed.join("")).toBe("out\n");
  });

  it("passes extra environment", async () => {
    const result = await runProcess("sh", ["-c", 'printf %s "$GREETING"'], { cwd: "/", env: { GREETING: "hello" } });
    expect(result.stdout).toBe("hello");
  });

  it("reports a command that cannot start instead of rejecting", async () => {
    const result = await runProcess("pulumiscale-no-such-command", [], { cwd: "/" });
    expect(result.exitCode).toBe(-1);
    expect(result.stderr).toMatch(/could not start pulumiscale-no-such-command: spawn pulumiscale-no-such-command ENOENT/);
  });

  it("interrupts the process with SIGINT when aborted", async () => {
    const abort = new AbortController();
    // Aborts once the shell says its trap is set, however long it took to start.
    const running = runProcess("sh", ["-c", "trap 'echo interrupted; exit 130' INT; echo ready; while :; do sleep 0.05; done"], {
      cwd: "/",
      signal: abort.signal,
      onStdout: (text) => {
        if (text.includes("ready")) abort.abort();
      },
    });
    const result = await running;
    expect(result.stdout).toBe("ready\ninterrupted\n");
    expect(result.exitCode).toBe(130);
  });

  it("starts nothing when already cancelled", async () => {
    const abort = new AbortController();
    abort.abort();
    const result = await runProcess("sh", ["-c", "echo ran"], { cwd: "/", signal: abort.signal });
    expect(result).toEqual({ stdout: "", stderr: "sh was not started: the run was cancelled", exitCode: 130 });
  });
});
