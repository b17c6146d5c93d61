// The registry is the one list of adapters: every adapter file is in it, once, in order.
import { readdirSync } from "node:fs";
import { adapters, findAdapter } from "../../src/adapters/registry.js";
import type { Adapter } from "../../src/adapters/signal.js";

const adapterDir = new URL("../../src/adapters/", import.meta.url);

function isAdapter(value: unknown): value is Adapter {
  const candidate = value as Partial<Adapter> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.source === "string" &&
    typeof candidate.description === "string" &&
    typeof candidate.parse === "function"
  );
}

describe("adapter registry", () => {
  it("holds every Adapter exported from src/adapters/", async () => {
    const files = readdirSync(adapterDir).filter((file) => file.endsWith(".ts"));
    const exported: { file: string; source: string; adapter: Adapter }[] = [];
    for (const file of files) {
      const module = (await import(new URL(file, adapterDir).href)) as Record<string, unknown>;
      for (const value of Object.values(module)) {
        if (isAdapter(value)) exported.push({ file, source: value.source, adapter: value });
      }
    }
    const unregistered = exported.filter(({ adapter }) => !adapters.includes(adapter)).map(({ file, source }) => `${file} (${source})`);
    expect(unregistered).toEqual([]);
    // And the other way: every registered adapter was found, so the scan above saw them all.
    expect(new Set(exported.map(({ adapter }) => adapter))).toEqual(new Set(adapters));
  });

  it("is sorted by source, with each source once", () => {
    const sources = adapters.map((adapter) => adapter.source);
    expect(sources).toEqual([...new Set(sources)].sort());
  });

  it("finds adapters by source only", () => {
    expect(findAdapter("cloudwatch")?.source).toBe("cloudwatch");
    expect(findAdapter("constructor")).toBeUndefined();
    expect(findAdapter("CloudWatch")).toBeUndefined();
  });
});
