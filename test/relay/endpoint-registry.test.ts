// The registry is the one list of webhook endpoints: every endpoint file is in it, once, in order.
import { describe, expect, test } from "@jest/globals";
import { readdirSync } from "node:fs";
import { adapters } from "../../src/adapters/registry.js";
import type { Endpoint } from "../../src/relay/endpoints/endpoint.js";
import { endpoints, findEndpoint } from "../../src/relay/endpoints/registry.js";

const endpointDir = new URL("../../src/relay/endpoints/", import.meta.url);

function isEndpoint(value: unknown): value is Endpoint {
  const candidate = value as Partial<Endpoint> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.name === "string" &&
    Array.isArray(candidate.adapters) &&
    typeof candidate.authentication === "function" &&
    typeof candidate.receive === "function"
  );
}

describe("endpoint registry", () => {
  test("holds every Endpoint exported from src/relay/endpoints/", async () => {
    const files = readdirSync(endpointDir).filter((file) => file.endsWith(".ts"));
    const exported: { file: string; endpoint: Endpoint }[] = [];
    for (const file of files) {
      const module = (await import(new URL(file, endpointDir).href)) as Record<string, unknown>;
      for (const value of Object.values(module)) if (isEndpoint(value)) exported.push({ file, endpoint: value });
    }
    const unregistered = exported.filter(({ endpoint }) => !endpoints.includes(endpoint)).map(({ file, endpoint }) => `${file} (${endpoint.name})`);
    expect(unregistered).toEqual([]);
    // And the other way: the scan above found every registered endpoint.
    expect(new Set(exported.map(({ endpoint }) => endpoint))).toEqual(new Set(endpoints));
    // Each file but the interface and the registry is one endpoint.
    expect(files.filter((file) => file !== "endpoint.ts" && file !== "registry.ts").sort()).toEqual(
      [...new Set(exported.map(({ file }) => file))].sort(),
    );
  });

  test("is sorted by name, each name once, each a plain path segment", () => {
    const names = endpoints.map((endpoint) => endpoint.name);
    expect(names).toEqual([...new Set(names)].sort());
    for (const name of names) expect(name).toMatch(/^[a-z0-9-]+$/);
    // The operational paths are not webhook endpoints.
    expect(names).not.toContain("healthz");
    expect(names).not.toContain("metrics");
  });

  test("every endpoint names adapters the action has", () => {
    const sources = adapters.map((adapter) => adapter.source);
    for (const endpoint of endpoints) {
      expect(endpoint.adapters.length).toBeGreaterThan(0);
      for (const source of endpoint.adapters) expect(sources).toContain(source);
    }
  });

  test("finds endpoints by exact name only", () => {
    expect(findEndpoint("alertmanager")).toBe(endpoints[0]);
    expect(findEndpoint("Alertmanager")).toBeUndefined();
    expect(findEndpoint("")).toBeUndefined();
  });
});
