// One concurrency group as GitHub Actions keeps it with `cancel-in-progress: false`: at most one
// run in progress and one pending; a new run while one is pending replaces (cancels) the pending one.

export interface GroupRun {
  readonly id: number;
  state: "pending" | "running" | "completed" | "superseded";
  supersededBy?: number;
}

export class ConcurrencyGroup<Run extends GroupRun> {
  private running: Run | undefined;
  private pending: Run | undefined;
  private readonly execute: (run: Run) => Promise<void>;
  private readonly onSuperseded: (old: Run, by: Run) => void;
  private idleWaiters: (() => void)[] = [];

  constructor(execute: (run: Run) => Promise<void>, onSuperseded: (old: Run, by: Run) => void = () => {}) {
    this.execute = execute;
    this.onSuperseded = onSuperseded;
  }

  submit(run: Run): void {
    if (!this.running) {
      this.begin(run);
      return;
    }
    if (this.pending) {
      this.pending.state = "superseded";
      this.pending.supersededBy = run.id;
      this.onSuperseded(this.pending, run);
    }
    run.state = "pending";
    this.pending = run;
  }

  isIdle(): boolean {
    return !this.running && !this.pending;
  }

  /** Resolves when no run is in progress or pending. */
  whenIdle(): Promise<void> {
    return this.isIdle() ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private begin(run: Run): void {
    this.running = run;
    run.state = "running";
    void this.execute(run).finally(() => {
      run.state = "completed";
      this.running = undefined;
      const next = this.pending;
      this.pending = undefined;
      if (next) this.begin(next);
      else for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
  }
}
