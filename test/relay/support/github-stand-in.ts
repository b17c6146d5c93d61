import { Ajv, type ValidateFunction } from "ajv";
import { createPublicKey, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";

/**
 * A local stand-in for the GitHub REST API. Every request is checked against GitHub's published
 * OpenAPI description (npm @octokit/openapi): the operation must exist, path parameters must have
 * their declared types, and the JSON body must match the operation's request schema. Requests
 * that pass are recorded; the answers to dispatches can be scripted (e.g. 503, 503, 204).
 */

interface Operation {
  readonly template: string;
  readonly method: string;
  readonly pattern: RegExp;
  readonly parameterNames: string[];
  readonly definition: Record<string, unknown>;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly operation: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  readonly status: number;
}

export interface ScriptedAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

type Spec = { paths: Record<string, Record<string, Record<string, unknown>>> } & Record<string, unknown>;

let cachedSpec: Spec | undefined;

/** GitHub's OpenAPI description of api.github.com, as published in @octokit/openapi. */
export function githubOpenApi(): Spec {
  if (!cachedSpec) {
    const require = createRequire(import.meta.url);
    const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
    cachedSpec = JSON.parse(readFileSync(file, "utf8")) as Spec;
  }
  return cachedSpec;
}

function pointer(spec: Spec, ref: string): unknown {
  return ref
    .replace(/^#\//, "")
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], spec);
}

function escapePointer(text: string): string {
  return text.replace(/~/g, "~0").replace(/\//g, "~1");
}

export class GitHubStandIn {
  /** Dispatches GitHub would have accepted (answered 2xx). */
  readonly dispatches: RecordedRequest[] = [];
  /** Every request that matched the API description, whatever it was answered. */
  readonly requests: RecordedRequest[] = [];
  /** Requests that did not match the API description; a correct client leaves this empty. */
  readonly invalid: { method: string; path: string; problem: string }[] = [];
  /** Answers for the next dispatches, in order; once used up, dispatches get 204. */
  readonly dispatchAnswers: ScriptedAnswer[] = [];
  /** Public key (PEM) a GitHub App's JWT must verify against, when App auth is tested. */
  appPublicKey?: string;
  installationId = 4242;
  installationToken = "ghs_standinInstallationToken000000000000";

  private readonly operations: Operation[] = [];
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  private readonly validators = new Map<string, ValidateFunction>();
  private server: Server | undefined;
  url = "";

  constructor(
    private readonly expectedToken: string,
    operationIds: readonly string[] = [
      "repos/create-dispatch-event",
      "apps/get-repo-installation",
      "apps/create-installation-access-token",
    ],
  ) {
    const spec = githubOpenApi();
    this.ajv.addSchema(spec, "github");
    for (const [template, item] of Object.entries(spec.paths)) {
      for (const [method, definition] of Object.entries(item)) {
        if (!operationIds.includes(String(definition["operationId"]))) continue;
        const parameterNames: string[] = [];
        const pattern = new RegExp(
          `^${template.replace(/\{([^}]+)\}/g, (_, name: string) => {
            parameterNames.push(name);
            return "([^/]+)";
          })}$`,
        );
        this.operations.push({ template, method: method.toUpperCase(), pattern, parameterNames, definition });
      }
    }
    if (this.operations.length !== operationIds.length) {
      throw new Error(`the API description lacks some of ${operationIds.join(", ")}; is @octokit/openapi installed?`);
    }
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const answer = this.answer(request.method ?? "GET", request.url ?? "/", request.headers, Buffer.concat(chunks));
        const body = answer.body === undefined ? "" : JSON.stringify(answer.body);
        response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
        response.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private answer(method: string, url: string, headers: IncomingHttpHeaders, raw: Buffer): ScriptedAnswer {
    const path = url.split("?")[0] ?? "/";
    const invalid = (status: number, problem: string): ScriptedAnswer => {
      this.invalid.push({ method, path, problem });
      return { status, body: { message: problem, documentation_url: "https://docs.github.com/rest" } };
    };
    const operation = this.operations.find((candidate) => candidate.method === method && candidate.pattern.test(path));
    if (!operation) return invalid(404, `no operation ${method} ${path} in the API description`);

    const spec = githubOpenApi();
    const values = operation.pattern.exec(path)!.slice(1).map(decodeURIComponent);
    const parameters = ((operation.definition["parameters"] ?? []) as Record<string, unknown>[]).map((parameter) =>
      typeof parameter["$ref"] === "string" ? (pointer(spec, parameter["$ref"]) as Record<string, unknown>) : parameter,
    );
    for (const [index, name] of operation.parameterNames.entries()) {
      const declared = parameters.find((parameter) => parameter["name"] === name && parameter["in"] === "path");
      const type = (declared?.["schema"] as { type?: string } | undefined)?.type;
      const value = values[index] ?? "";
      if (!declared) return invalid(400, `path parameter ${name} is not declared`);
      if (value === "" || (type === "integer" && !/^\d+$/.test(value))) {
        return invalid(400, `path parameter ${name}=${JSON.stringify(value)} is not a ${type}`);
      }
    }

    const requestBody = operation.definition["requestBody"] as { required?: boolean; content?: Record<string, unknown> } | undefined;
    let body: unknown;
    if (raw.length > 0) {
      if (!String(headers["content-type"] ?? "").startsWith("application/json")) {
        return invalid(415, `content-type ${JSON.stringify(headers["content-type"])} is not application/json`);
      }
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        return invalid(400, "the body is not JSON");
      }
    }
    if (requestBody) {
      if (body === undefined && requestBody.required) return invalid(400, "the request body is required");
      if (body !== undefined) {
        const validate = this.validator(operation);
        if (!validate(body)) return invalid(422, `the body does not match the schema: ${this.ajv.errorsText(validate.errors)}`);
      }
    }

    const operationId = String(operation.definition["operationId"]);
    const record = (status: number) => {
      const entry = { method, path, operation: operationId, headers, body, status };
      this.requests.push(entry);
      return entry;
    };
    switch (operationId) {
      case "repos/create-dispatch-event": {
        // The schema cannot say it, its description does: "The total size of the JSON payload must be less than 64KB."
        if (raw.length >= 64 * 1024) return invalid(422, `the payload is ${raw.length} bytes; it must be less than 64KB`);
        if (headers["authorization"] !== `Bearer ${this.expectedToken}`) {
          record(401);
          return { status: 401, body: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" } };
        }
        const scripted = this.dispatchAnswers.shift() ?? { status: 204 };
        const entry = record(scripted.status);
        if (scripted.status >= 200 && scripted.status < 300) this.dispatches.push(entry);
        return scripted;
      }
      case "apps/get-repo-installation": {
        if (!this.validAppJwt(headers["authorization"])) return { status: 401, body: { message: "A JSON web token could not be decoded" } };
        record(200);
        return { status: 200, body: { id: this.installationId, app_id: 1, account: { login: values[0] } } };
      }
      case "apps/create-installation-access-token": {
        if (!this.validAppJwt(headers["authorization"])) return { status: 401, body: { message: "A JSON web token could not be decoded" } };
        record(201);
        const expiresAt = new Date(Date.now() + 60 * 60 * 1000).toISOString().replace(/\.\d+Z$/, "Z");
        return {
          status: 201,
          body: { token: this.installationToken, expires_at: expiresAt, permissions: { contents: "write" }, repository_selection: "all" },
        };
      }
      default:
        return invalid(404, `the stand-in does not serve ${operationId}`);
    }
  }

  private validator(operation: Operation): ValidateFunction {
    const key = `${operation.method} ${operation.template}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const ref = `github#/paths/${escapePointer(operation.template)}/${operation.method.toLowerCase()}/requestBody/content/application~1json/schema`;
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** Checks an App JWT (RS256) against appPublicKey: signature, and that it has not expired. */
  private validAppJwt(authorization: string | undefined): boolean {
    const match = /^bearer (.+)$/i.exec(authorization ?? "");
    if (!match?.[1] || !this.appPublicKey) return false;
    const [header, payload, signature] = match[1].split(".");
    if (!header || !payload || !signature) return false;
    const signed = verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), createPublicKey(this.appPublicKey), Buffer.from(signature, "base64url"));
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: number };
    return signed && typeof claims.exp === "number" && claims.exp * 1000 > Date.now();
  }
}
