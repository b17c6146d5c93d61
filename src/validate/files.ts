import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { InputError } from "../errors.js";

/** A file's parsed contents, with its path for messages. */
export interface LoadedFile {
  readonly file: string;
  readonly value: unknown;
}

function readText(file: string, flag: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(flag, file, `a readable file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** A policy file: YAML when it ends in .yaml or .yml, JSON otherwise. */
export function readPolicyFile(file: string): LoadedFile {
  const text = readText(file, "--policy");
  const yaml = /\.ya?ml$/i.test(file);
  try {
    return { file, value: yaml ? parseYaml(text) : JSON.parse(text) };
  } catch (error) {
    throw new InputError("--policy", file, `a ${yaml ? "YAML" : "JSON"} file (${(error as Error).message.split("\n")[0]})`);
  }
}

/** Every .json file under `entry` in name order, or `entry` itself when it is a file. */
function eventFiles(entry: string): string[] {
  let stats;
  try {
    stats = statSync(entry);
  } catch {
    throw new InputError("--events", entry, "an existing event file or directory");
  }
  if (!stats.isDirectory()) return [entry];
  return readdirSync(entry, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => path.join(entry, name))
    .filter((file) => statSync(file).isFile());
}

/** The event files given with --events, each parsed as JSON. */
export function readEventFiles(entries: readonly string[]): LoadedFile[] {
  return entries.flatMap(eventFiles).map((file) => {
    const text = readText(file, "--events");
    try {
      return { file, value: JSON.parse(text) as unknown };
    } catch (error) {
      throw new InputError("--events", file, `a JSON file (${(error as Error).message})`);
    }
  });
}
