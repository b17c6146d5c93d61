import { readFileSync } from "node:fs";
import type { AlarmStates, DescribeAlarmsAnswer, DescribeAlarmsRequest, DescribedAlarm } from "../../src/reask/alarm-states.js";
import { shapeErrors, type AwsShape } from "./aws-shape.js";

interface Excerpt {
  readonly input: AwsShape;
  readonly output: AwsShape;
}

const excerpt = JSON.parse(readFileSync(new URL("./cloudwatch-api.excerpt.json", import.meta.url), "utf8")) as Excerpt;
/** AWS's enum for AlarmTypes (the min model leaves enums out). */
const ALARM_TYPES = ["MetricAlarm", "CompositeAlarm"];
const MAX_ALARM_NAMES = 100;

/**
 * CloudWatch's DescribeAlarms for the re-ask's tests: it answers from the alarms it holds per
 * region, and checks every request and every answer against AWS's published model of the
 * operation; whatever does not fit is collected in `invalid` (the tests expect it empty).
 */
export class CloudWatchStandIn implements AlarmStates {
  readonly requests: { region: string; request: DescribeAlarmsRequest }[] = [];
  readonly invalid: string[] = [];
  /** Set to make every call fail, as AWS does for missing rights. */
  failWith?: Error;

  constructor(
    private readonly alarms: Record<string, { metric?: DescribedAlarm[]; composite?: DescribedAlarm[] }>,
    private readonly pageSize = 50,
  ) {
    for (const [region, { metric = [], composite = [] }] of Object.entries(alarms)) {
      this.invalid.push(...shapeErrors({ MetricAlarms: metric, CompositeAlarms: composite }, excerpt.output, `stand-in alarms of ${region}`));
    }
  }

  async describeAlarms(region: string, request: DescribeAlarmsRequest): Promise<DescribeAlarmsAnswer> {
    this.requests.push({ region, request });
    this.invalid.push(...shapeErrors(request, excerpt.input, "DescribeAlarms request"));
    if (request.AlarmNames.length > MAX_ALARM_NAMES) this.invalid.push(`DescribeAlarms request.AlarmNames: at most ${MAX_ALARM_NAMES}, got ${request.AlarmNames.length}`);
    for (const type of request.AlarmTypes) if (!ALARM_TYPES.includes(type)) this.invalid.push(`DescribeAlarms request.AlarmTypes: ${JSON.stringify(type)} is not an alarm type`);
    if (this.failWith) throw this.failWith;
    const held = this.alarms[region] ?? {};
    const wanted = (alarm: DescribedAlarm) => request.AlarmNames.includes(alarm.AlarmName);
    const all = [
      ...(request.AlarmTypes.includes("MetricAlarm") ? (held.metric ?? []).filter(wanted).map((alarm) => ({ kind: "metric", alarm })) : []),
      ...(request.AlarmTypes.includes("CompositeAlarm") ? (held.composite ?? []).filter(wanted).map((alarm) => ({ kind: "composite", alarm })) : []),
    ];
    const start = request.NextToken === undefined ? 0 : Number(request.NextToken);
    const page = all.slice(start, start + this.pageSize);
    const answer: DescribeAlarmsAnswer = {
      MetricAlarms: page.filter((entry) => entry.kind === "metric").map((entry) => entry.alarm),
      CompositeAlarms: page.filter((entry) => entry.kind === "composite").map((entry) => entry.alarm),
      ...(start + this.pageSize < all.length ? { NextToken: String(start + this.pageSize) } : {}),
    };
    this.invalid.push(...shapeErrors(answer, excerpt.output, "DescribeAlarms answer"));
    return answer;
  }
}
