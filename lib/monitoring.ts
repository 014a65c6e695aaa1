/**
 * Monitoring: a notice for runs that end without reaching Record failure, the CloudWatch dashboard, and
 * the alarms that publish to the run-outcome topic (lib/notifications.ts).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  JOB_RUNNING_HOURS,
  METRICS_NAMESPACE,
  RUN_METRICS,
  SERVICE_NAME,
} from '../lambda/core/contract/metrics';

/** The default of {@link PipelineMonitoringProps.alarmJobHours}. */
export const DEFAULT_ALARM_JOB_HOURS = 24;

/** Properties of {@link PipelineMonitoring}. */
export interface PipelineMonitoringProps {
  /** Where alarms and the end-of-run notice go. */
  readonly topic: sns.ITopic;
  readonly stateMachine: sfn.IStateMachine;
  /** The pipeline's functions by handler name (errors and throttles are graphed per function). */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** The trigger queue in front of Start run. */
  readonly queue: sqs.IQueue;
  /** Its dead-letter queue. */
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * Stop jobs events that failed (on-failure destination); a message there means a run's jobs may still
   * be billing.
   * @default - no alarm for it
   */
  readonly stopJobsFailures?: sqs.IQueue;
  /**
   * The "job running too long" alarm fires when Check job sees a job still running this many hours after
   * its submission.
   * @default 24
   */
  readonly alarmJobHours?: number;
  /**
   * The `service` dimension of the custom metrics (`POWERTOOLS_SERVICE_NAME` of the functions).
   * @default 'bedrock-batch-pipeline'
   */
  readonly serviceName?: string;
}

/** The alarms {@link PipelineMonitoring} creates. */
export interface PipelineAlarms {
  /** An execution failed or timed out in the last 5 minutes. */
  readonly failedExecutions: cloudwatch.Alarm;
  /** A message is waiting in the trigger's dead-letter queue. */
  readonly deadLetterMessages: cloudwatch.Alarm;
  /** A batch job has been running longer than `alarmJobHours`. */
  readonly jobRunningTooLong: cloudwatch.Alarm;
  /** A Stop jobs event failed: a run's jobs may be left running (only with `stopJobsFailures`). */
  readonly stopJobsFailed?: cloudwatch.Alarm;
}

const FIVE_MINUTES = Duration.minutes(5);
const ONE_HOUR = Duration.hours(1);

/** An alarm on `metric` above `threshold` in one period; missing data is not breaching. */
function overThreshold(
  scope: Construct,
  id: string,
  props: Pick<cloudwatch.AlarmProps, 'alarmDescription' | 'metric' | 'threshold'>,
): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    ...props,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/** Dashboard, alarms and the notice for runs that were stopped or timed out. */
export class PipelineMonitoring extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: PipelineAlarms;
  /** Announces executions that ended ABORTED or TIMED_OUT (Record failure never ran for them). */
  readonly endedAbnormallyRule: events.Rule;

  constructor(scope: Construct, id: string, props: PipelineMonitoringProps) {
    super(scope, id);
    const alarmJobHours = props.alarmJobHours ?? DEFAULT_ALARM_JOB_HOURS;
    if (!(alarmJobHours > 0))
      throw new Error(`alarmJobHours must be a positive number, got ${alarmJobHours}`);
    const service = props.serviceName ?? SERVICE_NAME;
    const custom = (metricName: string, statistic: string, label?: string, period = ONE_HOUR) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service },
        statistic,
        period,
        label,
      });
    const sm = props.stateMachine;
    const action = new actions.SnsAction(props.topic);

    const failed = new cloudwatch.MathExpression({
      expression: 'FILL(failed, 0) + FILL(timedOut, 0)',
      usingMetrics: {
        failed: sm.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }),
        timedOut: sm.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }),
      },
      label: 'Executions failed or timed out',
      period: FIVE_MINUTES,
    });
    const jobHours = custom(JOB_RUNNING_HOURS, 'Maximum');
    const dlqDepth = props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: FIVE_MINUTES,
      statistic: 'Maximum',
    });
    const stopFailures = props.stopJobsFailures?.metricApproximateNumberOfMessagesVisible({
      period: FIVE_MINUTES,
      statistic: 'Maximum',
    });
    this.alarms = {
      failedExecutions: overThreshold(this, 'FailedExecutions', {
        alarmDescription:
          'A pipeline run failed or timed out. Open the execution (its name is the run id) in the Step Functions ' +
          'console; the failure report is results/<pipeline>/<runId>/report.json. See docs/operator.md.',
        metric: failed,
        threshold: 0,
      }),
      deadLetterMessages: overThreshold(this, 'DeadLetterMessages', {
        alarmDescription:
          'An upload event could not start a run and is in the dead-letter queue. Inspect the message, then ' +
          're-drive it or re-upload the file. See docs/operator.md.',
        metric: dlqDepth,
        threshold: 0,
      }),
      jobRunningTooLong: overThreshold(this, 'JobRunningTooLong', {
        alarmDescription:
          `A Bedrock batch job has been running more than ${alarmJobHours} hours (metric ${JOB_RUNNING_HOURS}, ` +
          'published by Check job). See docs/operator.md.',
        metric: jobHours,
        threshold: alarmJobHours,
      }),
      ...(stopFailures && {
        stopJobsFailed: overThreshold(this, 'StopJobsFailed', {
          alarmDescription:
            "Stop jobs could not stop a run's Bedrock jobs; they may still be billing. Replay the queued " +
            'event (docs/operator.md, "Replaying Stop jobs") or stop the jobs by hand.',
          metric: stopFailures,
          threshold: 0,
        }),
      }),
    };
    for (const alarm of Object.values(this.alarms)) alarm?.addAlarmAction(action);

    this.endedAbnormallyRule = this.announceEndedAbnormally(props);

    this.dashboard = this.buildDashboard(props, custom, jobHours, dlqDepth, alarmJobHours);
  }

  /** The notice for executions that ended ABORTED or TIMED_OUT. */
  private announceEndedAbnormally(props: PipelineMonitoringProps): events.Rule {
    return new events.Rule(this, 'RunStoppedOrTimedOut', {
      description: 'Announces runs whose execution was stopped or timed out (no failure report is written)',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [props.stateMachine.stateMachineArn], status: ['ABORTED', 'TIMED_OUT'] },
      },
      targets: [
        new targets.SnsTopic(props.topic, {
          message: events.RuleTargetInput.fromText(
            `Bedrock batch run ${events.EventField.fromPath('$.detail.name')} ended ` +
              `${events.EventField.fromPath('$.detail.status')}: no results and no report.json were written. ` +
              'Its remaining Bedrock jobs are being stopped. Re-upload the file to run it again. Execution: ' +
              events.EventField.fromPath('$.detail.executionArn'),
          ),
        }),
      ],
    });
  }

  private buildDashboard(
    props: PipelineMonitoringProps,
    custom: (name: string, statistic: string, label?: string) => cloudwatch.Metric,
    jobHours: cloudwatch.Metric,
    dlqDepth: cloudwatch.Metric,
    alarmJobHours: number,
  ): cloudwatch.Dashboard {
    const stack = Stack.of(this);
    const sm = props.stateMachine;
    const sum = { period: FIVE_MINUTES, statistic: 'Sum' };
    const graph = (
      title: string,
      left: cloudwatch.IMetric[],
      extra: Partial<cloudwatch.GraphWidgetProps> = {},
    ) => new cloudwatch.GraphWidget({ title, left, width: 12, height: 6, ...extra });
    const fns = Object.entries(props.functions);
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${stack.stackName}-${stack.region}`,
      defaultInterval: Duration.days(7),
    });
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: Object.values(this.alarms).filter((alarm) => alarm !== undefined),
        width: 24,
        height: 3,
      }),
    );
    dashboard.addWidgets(
      graph('Executions', [
        sm.metricStarted({ ...sum, label: 'Started' }),
        sm.metricSucceeded({ ...sum, label: 'Succeeded' }),
        sm.metricFailed({ ...sum, label: 'Failed' }),
        sm.metricAborted({ ...sum, label: 'Aborted' }),
        sm.metricTimedOut({ ...sum, label: 'Timed out' }),
      ]),
      graph('Execution time (finished runs)', [
        sm.metricTime({ period: ONE_HOUR, statistic: 'Average', label: 'Average' }),
        sm.metricTime({ period: ONE_HOUR, statistic: 'Maximum', label: 'Maximum' }),
      ]),
    );
    dashboard.addWidgets(
      graph('Rows in and records submitted', [
        custom(RUN_METRICS.rowsIn, 'Sum', 'Rows in'),
        custom(RUN_METRICS.recordsSubmitted, 'Sum', 'Records submitted'),
      ]),
      graph(
        'Rows by status',
        [
          custom(RUN_METRICS.rowsOk, 'Sum', 'ok'),
          custom(RUN_METRICS.rowsError, 'Sum', 'error'),
          custom(RUN_METRICS.rowsRejected, 'Sum', 'rejected'),
          custom(RUN_METRICS.rowsMissing, 'Sum', 'missing'),
        ],
        { stacked: true },
      ),
    );
    dashboard.addWidgets(
      graph('Tokens', [
        custom(RUN_METRICS.inputTokens, 'Sum', 'Input tokens'),
        custom(RUN_METRICS.outputTokens, 'Sum', 'Output tokens'),
      ]),
      graph('Cost (USD, from lambda/core/prices.ts)', [
        custom(RUN_METRICS.batchCostUsd, 'Sum', 'Batch'),
        custom(RUN_METRICS.onDemandCostUsd, 'Sum', 'Same tokens on demand'),
      ]),
    );
    dashboard.addWidgets(
      graph('Oldest running batch job (hours)', [jobHours.with({ label: 'Oldest running job' })], {
        leftAnnotations: [{ value: alarmJobHours, label: 'Alarm', color: cloudwatch.Color.RED }],
      }),
      graph('Queues', [
        props.queue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
          label: 'Queue',
        }),
        dlqDepth.with({ label: 'Dead-letter queue' }),
        ...(props.stopJobsFailures
          ? [
              props.stopJobsFailures.metricApproximateNumberOfMessagesVisible({
                period: FIVE_MINUTES,
                statistic: 'Maximum',
                label: 'Stop jobs failures',
              }),
            ]
          : []),
      ]),
    );
    dashboard.addWidgets(
      graph(
        'Lambda errors',
        fns.map(([name, fn]) => fn.metricErrors({ ...sum, label: name })),
      ),
      graph(
        'Lambda throttles',
        fns.map(([name, fn]) => fn.metricThrottles({ ...sum, label: name })),
      ),
    );
    return dashboard;
  }
}
