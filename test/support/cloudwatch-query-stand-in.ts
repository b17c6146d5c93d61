import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { DescribeAlarmsRequest } from "../../src/reask/alarm-states.js";
import { signV4, type AwsCredentials } from "../../src/reask/sigv4.js";
import { shapeErrors, type AwsShape } from "./aws-shape.js";
import type { CloudWatchStandIn } from "./cloudwatch-stand-in.js";

interface XmlShape extends AwsShape {
  readonly xmlOrder?: readonly string[];
  readonly members?: Readonly<Record<string, XmlShape>>;
  readonly member?: XmlShape;
}

const excerpt = JSON.parse(readFileSync(new URL("./cloudwatch-api.excerpt.json", import.meta.url), "utf8")) as { input: AwsShape; output: XmlShape; metadata: { xmlNamespace: string } };

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

/** A value as the Query protocol writes it: members in the model's order, lists as <member>. */
function toXml(value: unknown, shape: XmlShape): string {
  if (shape.type === "list") return (value as unknown[]).map((item) => `<member>${toXml(item, shape.member!)}</member>`).join("");
  if (shape.type === "structure") {
    const record = value as Record<string, unknown>;
    const order = shape.xmlOrder ?? Object.keys(shape.members ?? {});
    return order.filter((key) => record[key] !== undefined).map((key) => `<${key}>${toXml(record[key], shape.members![key]!)}</${key}>`).join("");
  }
  return escape(String(value));
}

/**
 * CloudWatch's Query endpoint on loopback: checks the SigV4 signature against the credentials it
 * was given, reads the form into the operation's input and checks it against AWS's model, answers
 * from the interface-level stand-in (which checks the answer against the model too), written as
 * the model says. What does not fit goes to `invalid`.
 */
export class CloudWatchQueryStandIn {
  readonly invalid: string[] = [];
  readonly sessionTokens: string[] = [];
  private server?: Server;

  constructor(
    private readonly alarms: CloudWatchStandIn,
    private readonly credentials: AwsCredentials,
    private readonly region: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void this.answer(request).then(({ status, body }) => response.writeHead(status, { "content-type": "text/xml" }).end(body));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async answer(request: IncomingMessage): Promise<{ status: number; body: string }> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const header = (name: string) => String(request.headers[name] ?? "");
    if (header("x-amz-security-token")) this.sessionTokens.push(header("x-amz-security-token"));
    const expected = signV4(
      { method: request.method ?? "", host: header("host"), path: request.url ?? "", query: "", headers: { "content-type": header("content-type") }, body, region: this.region, service: "monitoring" },
      this.credentials,
      new Date(header("x-amz-date").replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z")),
    ).authorization;
    if (header("authorization") !== expected) {
      this.invalid.push(`signature: got ${header("authorization")}, expected ${expected}`);
      return { status: 403, body: "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>bad signature</Message></Error></ErrorResponse>" };
    }
    const form = new URLSearchParams(body);
    if (form.get("Action") !== "DescribeAlarms" || form.get("Version") !== "2010-08-01") this.invalid.push(`form: Action ${form.get("Action")}, Version ${form.get("Version")}`);
    const input: Record<string, unknown> = {};
    for (const [key, value] of form) {
      if (key === "Action" || key === "Version") continue;
      const list = /^(\w+)\.member\.(\d+)$/.exec(key);
      if (list) ((input[list[1]!] ??= []) as string[])[Number(list[2]) - 1] = value;
      else input[key] = value;
    }
    this.invalid.push(...shapeErrors(input, excerpt.input, "DescribeAlarms form"));
    try {
      const answer = await this.alarms.describeAlarms(this.region, input as unknown as DescribeAlarmsRequest);
      const result = toXml(answer, excerpt.output);
      return {
        status: 200,
        body: `<?xml version="1.0"?>\n<DescribeAlarmsResponse xmlns="${excerpt.metadata.xmlNamespace}"><DescribeAlarmsResult>${result}</DescribeAlarmsResult><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></DescribeAlarmsResponse>`,
      };
    } catch (error) {
      const [code, ...message] = (error as Error).message.split(": ");
      return { status: 403, body: `<ErrorResponse xmlns="${excerpt.metadata.xmlNamespace}"><Error><Type>Sender</Type><Code>${escape(code!)}</Code><Message>${escape(message.join(": "))}</Message></Error></ErrorResponse>` };
    }
  }
}
