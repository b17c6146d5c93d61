import type { AlarmStates, DescribeAlarmsAnswer, DescribeAlarmsRequest, DescribedAlarm, DescribedDimension, DescribedMetricQuery } from "./alarm-states.js";
import { child, members, parseXml, textOf, type XmlElement } from "./query-xml.js";
import { signV4, type AwsCredentials } from "./sigv4.js";

export interface CloudWatchQueryOptions {
  readonly credentials: AwsCredentials;
  /** The endpoint of a region; CloudWatch's own by default. */
  readonly endpoint?: (region: string) => string;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  readonly timeoutMs?: number;
}

const API_VERSION = "2010-08-01";

/** RFC 3986 encoding, as SigV4 and the Query protocol want it. */
const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The Query protocol's form: lists flattened to `Name.member.N`. */
export function describeAlarmsForm(request: DescribeAlarmsRequest): string {
  const pairs: [string, string][] = [
    ["Action", "DescribeAlarms"],
    ["Version", API_VERSION],
    ...request.AlarmNames.map((name, index): [string, string] => [`AlarmNames.member.${index + 1}`, name]),
    ...request.AlarmTypes.map((type, index): [string, string] => [`AlarmTypes.member.${index + 1}`, type]),
    ...(request.NextToken === undefined ? [] : [["NextToken", request.NextToken] as [string, string]]),
  ];
  return pairs.map(([key, value]) => `${encode(key)}=${encode(value)}`).join("&");
}

/** CloudWatch's DescribeAlarms over its Query API, signed with the runner's credentials. */
export class CloudWatchQuery implements AlarmStates {
  constructor(private readonly options: CloudWatchQueryOptions) {}

  async describeAlarms(region: string, request: DescribeAlarmsRequest): Promise<DescribeAlarmsAnswer> {
    const url = new URL(this.options.endpoint?.(region) ?? `https://monitoring.${region}.amazonaws.com/`);
    const body = describeAlarmsForm(request);
    const headers = signV4(
      { method: "POST", host: url.host, path: url.pathname, query: "", headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, body, region, service: "monitoring" },
      this.options.credentials,
      this.options.now?.() ?? new Date(),
    );
    const { host: _host, ...sent } = headers; // fetch sets Host itself
    const response = await (this.options.fetch ?? fetch)(url, { method: "POST", headers: sent, body, redirect: "manual", signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
    const text = await response.text();
    if (response.status !== 200) throw new Error(queryError(response.status, text));
    const result = child(parseXml(text), "DescribeAlarmsResult");
    if (!result) throw new Error("CloudWatch answered DescribeAlarms without a DescribeAlarmsResult");
    const nextToken = textOf(result, "NextToken");
    return {
      MetricAlarms: members(result, "MetricAlarms").map(readAlarm),
      CompositeAlarms: members(result, "CompositeAlarms").map(readAlarm),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  }
}

/** `AccessDenied: User: … is not authorized …`, from the Query API's ErrorResponse when it has one. */
function queryError(status: number, text: string): string {
  try {
    const error = child(parseXml(text), "Error");
    const code = textOf(error, "Code");
    if (code) return `${code}: ${textOf(error, "Message") ?? ""} (HTTP ${status})`.replace(":  (", " (");
  } catch {
    // not XML: say only the status, never an unknown body
  }
  return `CloudWatch answered HTTP ${status}`;
}

function optional<T>(value: T | undefined, key: string): Record<string, T> {
  return value === undefined ? {} : { [key]: value };
}

const readDimensions = (element: XmlElement | undefined, name: string): DescribedDimension[] =>
  members(element, name).map((member) => ({ Name: textOf(member, "Name") ?? "", Value: textOf(member, "Value") ?? "" }));

function readQuery(member: XmlElement): DescribedMetricQuery {
  const stat = child(member, "MetricStat");
  const metric = child(stat, "Metric");
  const returnData = textOf(member, "ReturnData");
  return {
    Id: textOf(member, "Id") ?? "",
    ...(metric
      ? {
          MetricStat: {
            Metric: { ...optional(textOf(metric, "Namespace"), "Namespace"), ...optional(textOf(metric, "MetricName"), "MetricName"), Dimensions: readDimensions(metric, "Dimensions") },
            Period: Number(textOf(stat, "Period")),
            Stat: textOf(stat, "Stat") ?? "",
          },
        }
      : {}),
    ...optional(textOf(member, "Expression"), "Expression"),
    ...optional(textOf(member, "Label"), "Label"),
    ...(returnData === undefined ? {} : { ReturnData: returnData === "true" }),
  };
}

function readAlarm(member: XmlElement): DescribedAlarm {
  const state = textOf(member, "StateValue");
  if (state !== "ALARM" && state !== "OK" && state !== "INSUFFICIENT_DATA") throw new Error(`CloudWatch answered an alarm with StateValue ${JSON.stringify(state)}`);
  const actions = textOf(member, "ActionsEnabled");
  const threshold = textOf(member, "Threshold");
  const transitioned = textOf(member, "StateTransitionedTimestamp");
  return {
    AlarmName: textOf(member, "AlarmName") ?? "",
    AlarmArn: textOf(member, "AlarmArn") ?? "",
    ...optional(textOf(member, "AlarmDescription"), "AlarmDescription"),
    ...(actions === undefined ? {} : { ActionsEnabled: actions === "true" }),
    StateValue: state,
    ...optional(textOf(member, "StateReason"), "StateReason"),
    ...optional(textOf(member, "StateReasonData"), "StateReasonData"),
    ...(transitioned === undefined ? {} : { StateTransitionedTimestamp: new Date(transitioned).toISOString() }),
    ...optional(textOf(member, "MetricName"), "MetricName"),
    ...optional(textOf(member, "Namespace"), "Namespace"),
    ...(child(member, "Dimensions") ? { Dimensions: readDimensions(member, "Dimensions") } : {}),
    ...(threshold === undefined ? {} : { Threshold: Number(threshold) }),
    ...(child(member, "Metrics") ? { Metrics: members(member, "Metrics").map(readQuery) } : {}),
  };
}
