/**
 * The one I/O the re-ask needs: CloudWatch's DescribeAlarms, in the member names of AWS's API
 * model (test/support/cloudwatch-api.excerpt.json), restricted to what PulumiScale sends and reads.
 */
export interface DescribeAlarmsRequest {
  readonly AlarmNames: readonly string[];
  readonly AlarmTypes: readonly ("MetricAlarm" | "CompositeAlarm")[];
  readonly NextToken?: string;
}

export interface DescribedDimension {
  readonly Name: string;
  readonly Value: string;
}

export interface DescribedMetricQuery {
  readonly Id: string;
  readonly MetricStat?: {
    readonly Metric: { readonly Namespace?: string; readonly MetricName?: string; readonly Dimensions?: readonly DescribedDimension[] };
    readonly Period: number;
    readonly Stat: string;
  };
  readonly Expression?: string;
  readonly Label?: string;
  readonly ReturnData?: boolean;
}

/** A MetricAlarms[] or CompositeAlarms[] entry (composite alarms have no metric members). */
export interface DescribedAlarm {
  readonly AlarmName: string;
  readonly AlarmArn: string;
  readonly AlarmDescription?: string;
  readonly ActionsEnabled?: boolean;
  readonly StateValue: "ALARM" | "OK" | "INSUFFICIENT_DATA";
  readonly StateReason?: string;
  readonly StateReasonData?: string;
  /** ISO 8601: when the alarm last changed its state value (not merely its reason). */
  readonly StateTransitionedTimestamp?: string;
  readonly MetricName?: string;
  readonly Namespace?: string;
  readonly Dimensions?: readonly DescribedDimension[];
  readonly Threshold?: number;
  readonly Metrics?: readonly DescribedMetricQuery[];
}

export interface DescribeAlarmsAnswer {
  readonly MetricAlarms?: readonly DescribedAlarm[];
  readonly CompositeAlarms?: readonly DescribedAlarm[];
  readonly NextToken?: string;
}

/** Reads alarm states in one region, with the runner's AWS credentials. */
export interface AlarmStates {
  describeAlarms(region: string, request: DescribeAlarmsRequest): Promise<DescribeAlarmsAnswer>;
}
