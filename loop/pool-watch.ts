// Watches the pool's file in the fixture's "cloud" directory: each change of size is the moment an
// update reached the infrastructure.
import { watch, type FSWatcher } from "node:fs";
import { poolSizeIn } from "./exporter.ts";

export interface PoolChange {
  readonly at: number;
  readonly from: number;
  readonly to: number;
}

export interface PoolWatch {
  readonly changes: PoolChange[];
  size(): number;
  stop(): void;
}

export function watchPool(stateDir: string, onChange: (change: PoolChange) => void): PoolWatch {
  let size = poolSizeIn(stateDir);
  const changes: PoolChange[] = [];
  const look = () => {
    let now: number;
    try {
      now = poolSizeIn(stateDir);
    } catch {
      return; // Caught mid-write: the write's own event follows.
    }
    if (now === size) return;
    const change = { at: Date.now(), from: size, to: now };
    size = now;
    changes.push(change);
    onChange(change);
  };
  const watcher: FSWatcher = watch(stateDir, (_event, file) => {
    if (file === "pool-workers.json") look();
  });
  return {
    changes,
    size: () => {
      look();
      return size;
    },
    stop: () => watcher.close(),
  };
}
