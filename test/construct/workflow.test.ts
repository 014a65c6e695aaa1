import { describe, expect, it } from 'vitest';
import { SourceMissingError } from '../../lambda/core/contract/errors';
import { POLL_ITERATION_EVENTS, pollingHistory } from '../../lambda/core/job/job-status';
import { HANDLER_NAMES } from '../../lib/handler-names';
import { LAMBDA_SERVICE_ERRORS } from '../../lib/retries';
import { placeholderFunctionArn, resolveTemplateString } from '../../local/runner/definition';
import { defaultStack } from './fixture';
import type { Untyped } from './resolve';

const local = defaultStack();
const { definition, functionArns, json } = local;
const states = definition.States as Record<string, Untyped>;
const map = states['Run batch jobs'];
const inner = map.ItemProcessor.States as Record<string, Untyped>;
const onDemand = states['Run on demand'];
const onDemandInner = onDemand.ItemProcessor.States as Record<string, Untyped>;
const retryOnDemand = states['Retry on demand'].ItemProcessor.States as Record<string, Untyped>;
const retryBatch = states['Retry batch jobs'];
const retryInner = retryBatch.ItemProcessor.States as Record<string, Untyped>;
const allStates: Record<string, Untyped> = {
  ...states,
  ...inner,
  ...onDemandInner,
  ...retryOnDemand,
  ...retryInner,
};
const stateMachine = Object.values(json.Resources).find(
  (r) => r.Type === 'AWS::StepFunctions::StateMachine',
)!;

describe('state machine definition', () => {
  it('has the contract state names and types', () => {
    const types = Object.fromEntries(Object.entries(allStates).map(([name, state]) => [name, state.Type]));
    expect(types).toEqual({
      'Prepare input': 'Task',
      'Enough records?': 'Choice',
      'Too few records': 'Pass',
      'Run batch jobs': 'Map',
      'Submit job': 'Task',
      'Wait for job': 'Wait',
      'Check job': 'Task',
      'Job finished?': 'Choice',
      'Job done': 'Pass',
      'Submit failed': 'Pass',
      'Job failed': 'Pass',
      'Record job result': 'Task',
      'Run on demand': 'Map',
      'Invoke on demand': 'Task',
      'On-demand failed': 'Pass',
      'Record on-demand result': 'Task',
      'Plan retry': 'Task',
      'No second chance': 'Pass',
      'Second chance?': 'Choice',
      'Retry on demand': 'Map',
      'Invoke on demand again': 'Task',
      'Retry failed': 'Pass',
      'Record on-demand retry result': 'Task',
      'Retry batch jobs': 'Map',
      'Submit retry job': 'Task',
      'Wait for retry job': 'Wait',
      'Check retry job': 'Task',
      'Retry job finished?': 'Choice',
      'Retry job done': 'Pass',
      'Retry submit failed': 'Pass',
      'Retry job failed': 'Pass',
      'Record retry job result': 'Task',
      'Any job failed?': 'Choice',
      'Jobs failed': 'Pass',
      'Collect results': 'Task',
      'Notify success': 'Task',
      'Run succeeded': 'Succeed',
      'Record failure': 'Task',
      'Notify failure': 'Task',
      'Run failed': 'Fail',
      'Notify unrecorded failure': 'Task',
      'Run failed unrecorded': 'Fail',
    });
    expect(definition.StartAt).toBe('Prepare input');
  });

  it('is JSONPath only', () => {
    const text = JSON.stringify(definition);
    expect(text).not.toContain('JSONata');
    expect(text).not.toContain('{%');
    expect(text).not.toMatch(/"(Arguments|Output|Assign)"/);
  });

  it('calls each Lambda by ARN, returning the handler value, with retries on Lambda service errors', () => {
    const lambdaTasks = {
      'Prepare input': 'prepare-input',
      'Submit job': 'submit-job',
      'Check job': 'check-job',
      'Collect results': 'collect-results',
      'Record failure': 'record-failure',
      'Invoke on demand': 'invoke-on-demand',
      'Plan retry': 'plan-retry',
      'Invoke on demand again': 'invoke-on-demand',
      'Submit retry job': 'submit-job',
      'Check retry job': 'check-job',
    } as const;
    for (const [name, handler] of Object.entries(lambdaTasks)) {
      const state = allStates[name];
      expect(state.Resource, name).toBe(functionArns[handler]);
      const lambdaRetry = state.Retry.find((r: Untyped) => r.ErrorEquals.includes('Lambda.ServiceException'));
      expect(lambdaRetry?.ErrorEquals, name).toEqual([...LAMBDA_SERVICE_ERRORS]);
      expect(lambdaRetry.BackoffRate, name).toBeGreaterThan(1);
      expect(lambdaRetry.MaxAttempts, name).toBeGreaterThanOrEqual(3);
    }
    expect(LAMBDA_SERVICE_ERRORS).toContain('Lambda.TooManyRequestsException');
  });

  it('retries Prepare input on Lambda service errors only, never a deleted source (matrix 23)', () => {
    const prepare = states['Prepare input'];
    // Prepare's SourceMissingError reaches Step Functions as its class name; States.ALL or States.TaskFailed
    // would match it too, and every retry would read the missing object again.
    expect(prepare.Retry.map((r: Untyped) => r.ErrorEquals)).toEqual([[...LAMBDA_SERVICE_ERRORS]]);
    expect(LAMBDA_SERVICE_ERRORS.every((name) => name.startsWith('Lambda.'))).toBe(true);
    expect(new SourceMissingError('gone').name).toBe('SourceMissingError');
  });

  it('waits out a full job quota for hours but never retries a rejected job', () => {
    const submit = inner['Submit job'];
    const capacity = submit.Retry.find((r: Untyped) => r.ErrorEquals.includes('JobCapacityError'));
    expect(capacity).toMatchObject({ IntervalSeconds: 60, BackoffRate: 2, MaxDelaySeconds: 900 });
    let waited = 0;
    for (let attempt = 0; attempt < capacity.MaxAttempts; attempt++) {
      waited += Math.min(
        capacity.IntervalSeconds * capacity.BackoffRate ** attempt,
        capacity.MaxDelaySeconds,
      );
    }
    expect(waited / 3600).toBeGreaterThan(8);
    expect(JSON.stringify(submit.Retry)).not.toContain('JobRejectedError');
    expect(JSON.stringify(submit.Retry)).not.toContain('States.ALL');
  });

  it('runs the jobs in a Map over the shard numbers with the concurrent-job limit, results left out', () => {
    expect(map.ItemsPath).toBe('$.prepared.shardNumbers');
    expect(map.MaxConcurrency).toBe(10);
    expect(map.ResultPath).toBeNull();
    expect(map.ItemSelector).toEqual({
      'runId.$': '$.prepared.runId',
      'pipeline.$': '$.prepared.pipeline',
      'modelId.$': '$.prepared.modelId',
      'invocationType.$': '$.prepared.invocationType',
      'timeoutHours.$': '$.prepared.timeoutHours',
      'shard.$': '$$.Map.Item.Value',
      // The deadline: Check job weighs it for first-round jobs.
      'deadline.$': '$.prepared.deadline',
      'runStartedAt.$': '$$.Execution.StartTime',
    });
    expect(inner['Wait for job'].SecondsPath).toBe('$.job.waitSeconds');
    expect(inner['Job finished?'].Choices.map((c: Untyped) => [c.StringEquals, c.Next])).toEqual([
      ['running', 'Wait for job'],
      ['resubmit', 'Submit job'],
      ['done', 'Job done'],
    ]);
  });

  it('ends every iteration by recording its result in S3, leaving {} as its output', () => {
    for (const [processor, record, ends] of [
      [inner, 'Record job result', ['Job done', 'Submit failed', 'Job failed']],
      [retryInner, 'Record retry job result', ['Retry job done', 'Retry submit failed', 'Retry job failed']],
      [onDemandInner, 'Record on-demand result', ['Invoke on demand', 'On-demand failed']],
      [retryOnDemand, 'Record on-demand retry result', ['Invoke on demand again', 'Retry failed']],
    ] as const) {
      for (const end of ends) {
        expect(processor[end].Next, end).toBe(record);
        expect(processor[end].ResultPath, end).toBe('$.result');
      }
      expect(processor[record]).toMatchObject({ End: true, ResultPath: '$' });
      expect(JSON.stringify(processor[record].Retry)).toContain('Lambda.ServiceException');
    }
  });

  it('routes every failure to Record failure, then to a Fail that shows the code', () => {
    for (const name of ['Prepare input', 'Run batch jobs', 'Run on demand', 'Collect results']) {
      expect(states[name].Catch, name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Record failure' },
      ]);
    }
    expect(states['Too few records']).toMatchObject({ ResultPath: '$.error', Next: 'Record failure' });
    expect(states['Record failure']).toMatchObject({ ResultPath: '$.failure', Next: 'Notify failure' });
    expect(states['Record failure'].Parameters).toBeUndefined();
    expect(states['Run failed']).toEqual({
      Type: 'Fail',
      ErrorPath: '$.failure.code',
      CausePath: '$.failure.cause',
    });
    expect(states['Collect results'].ResultPath).toBe('$.results');
  });

  it('still notifies when Record failure itself fails, from fields that are always there', () => {
    expect(states['Record failure'].Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.recordError', Next: 'Notify unrecorded failure' },
    ]);
    const notify = states['Notify unrecorded failure'];
    expect(notify.Resource).toBe('arn:aws:states:::sns:publish');
    const message = notify.Parameters['Message.$'] as string;
    const paths = [...message.matchAll(/, (\$[^,)]+)/g)].map((m) => m[1]);
    expect(paths).toEqual(['$$.Execution.Name', '$.recordError.Error', '$$.Execution.Id']);
    expect(notify.Parameters.MessageAttributes).toEqual({
      status: { DataType: 'String', StringValue: 'failed' },
    });
    expect(notify.Retry).toEqual(states['Notify failure'].Retry);
    expect(notify.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.notifyError', Next: 'Run failed unrecorded' },
    ]);
    expect(notify.Next).toBe('Run failed unrecorded');
    expect(states['Run failed unrecorded']).toMatchObject({ Type: 'Fail', Error: 'FAILURE_NOT_RECORDED' });
  });

  it('keeps the execution history of a week-long job far below 25,000 events', () => {
    const loop = ['Wait for job', 'Check job', 'Job finished?'];
    expect(inner['Wait for job'].Next).toBe('Check job');
    expect(inner['Check job'].Next).toBe('Job finished?');
    expect(loop).toHaveLength(3);
    expect(POLL_ITERATION_EVENTS.length).toBe(2 + 5 + 2);
    const week = pollingHistory(168 * 3600);
    expect(week.events).toBeLessThan(25_000 / 5);
  });

  it('runs each shard as a child execution, so the parent history does not grow with shards or time', () => {
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    // Parent history of a Distributed Map: MapStateEntered, MapRunStarted, MapRunSucceeded, MapStateExited,
    // whatever the number of shards; the states before and after add a fixed number of events.
    const statesOutsideMap = Object.keys(states).length;
    const parentEvents = 4 + statesOutsideMap * 5;
    expect(parentEvents).toBeLessThan(200);
    // The worst child: a job that expires after the longest timeout (168 h), then a resubmission that runs
    // to the limit again; 200 shards of 50,000 records (10 million rows) are 200 such children.
    const worstChild = 2 * pollingHistory(168 * 3600).events + 2 * 10;
    expect(worstChild).toBeLessThan(25_000 / 3);
  });

  it('catches a shard failure inside the iteration and fails the run after Collect publishes the rows', () => {
    expect(inner['Submit job'].Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Submit failed' },
    ]);
    expect(inner['Check job'].Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Job failed' },
    ]);
    expect(inner['Job failed'].Parameters).toMatchObject({
      'jobArn.$': '$.job.jobArn',
      'error.$': '$.error',
    });
    expect(states['Collect results'].Next).toBe('Any job failed?');
    expect(states['Any job failed?'].Choices).toEqual([
      { Variable: '$.results.failure', IsPresent: true, Next: 'Jobs failed' },
    ]);
    expect(states['Jobs failed']).toMatchObject({
      InputPath: '$.results.failure',
      ResultPath: '$.error',
      Next: 'Record failure',
    });
  });
});

describe('the on-demand path', () => {
  it('chooses on demand, too few records or batch by the prepared mode', () => {
    expect(states['Prepare input'].Next).toBe('Enough records?');
    expect(
      states['Enough records?'].Choices.map((c: Untyped) => [c.Variable, c.StringEquals, c.Next]),
    ).toEqual([
      ['$.prepared.mode', 'on-demand', 'Run on demand'],
      ['$.prepared.mode', 'too-few', 'Too few records'],
    ]);
    expect(states['Enough records?'].Default).toBe('Run batch jobs');
  });

  it('runs Invoke on demand in a Map over the shard numbers with the batch items, results left out, then Collect', () => {
    expect(onDemand.ItemsPath).toBe('$.prepared.shardNumbers');
    const { 'deadline.$': deadline, 'runStartedAt.$': started, ...batchItem } = map.ItemSelector;
    expect([deadline, started]).toEqual(['$.prepared.deadline', '$$.Execution.StartTime']);
    expect(onDemand.ItemSelector).toEqual(batchItem);
    expect(onDemand.ResultPath).toBeNull();
    expect(onDemand.MaxConcurrency).toBe(10);
    expect(onDemand.Next).toBe('Plan retry');
    expect(onDemand.ItemProcessor.StartAt).toBe('Invoke on demand');
    expect(Object.keys(onDemandInner).sort()).toEqual([
      'Invoke on demand',
      'On-demand failed',
      'Record on-demand result',
    ]);
  });

  it('ends a failed invocation as a FailedJob and never retries a rejected one', () => {
    const invoke = onDemandInner['Invoke on demand'];
    expect(invoke.Next).toBe('Record on-demand result');
    expect(invoke.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'On-demand failed' },
    ]);
    expect(JSON.stringify(invoke.Retry)).not.toContain('JobRejectedError');
    expect(JSON.stringify(invoke.Retry)).not.toContain('States.ALL');
    expect(onDemandInner['On-demand failed']).toMatchObject({
      Parameters: { 'shard.$': '$.shard', 'error.$': '$.error' },
      Next: 'Record on-demand result',
    });
  });
});

describe('the second chance', () => {
  it('plans a retry after either first round, then runs it on demand or in batch, then Collect', () => {
    expect(map.Next).toBe('Plan retry');
    expect(states['Plan retry']).toMatchObject({ ResultPath: '$.retry', Next: 'Second chance?' });
    expect(states['Plan retry'].Parameters).toEqual({
      'runId.$': '$.runId',
      'pipeline.$': '$.pipeline',
      'source.$': '$.source',
      'prepared.$': '$.prepared',
    });
    expect(
      states['Second chance?'].Choices.map((c: Untyped) => [c.Variable, c.StringEquals, c.Next]),
    ).toEqual([
      ['$.retry.mode', 'on-demand', 'Retry on demand'],
      ['$.retry.mode', 'batch', 'Retry batch jobs'],
    ]);
    expect(states['Second chance?'].Default).toBe('Collect results');
    const runItem = {
      'runId.$': '$.prepared.runId',
      'pipeline.$': '$.prepared.pipeline',
      'modelId.$': '$.prepared.modelId',
      'invocationType.$': '$.prepared.invocationType',
      'timeoutHours.$': '$.prepared.timeoutHours',
      round: 2,
    };
    for (const name of ['Retry on demand', 'Retry batch jobs']) {
      expect(states[name]).toMatchObject({ ItemsPath: '$.retry.items', ResultPath: null });
      expect(states[name].Next, name).toBe('Collect results');
    }
    expect(states['Retry on demand'].ItemSelector).toEqual({
      ...runItem,
      'shard.$': '$$.Map.Item.Value.shard',
      'part.$': '$$.Map.Item.Value.part',
    });
    expect(states['Retry batch jobs'].ItemSelector).toEqual({
      ...runItem,
      'shard.$': '$$.Map.Item.Value',
      'part.$': '$$.Map.Item.Value',
    });
    expect(states['Collect results'].Parameters['runStartedAt.$']).toBe('$$.Execution.StartTime');
    expect(states['Collect results'].Parameters.retry).toEqual({
      'mode.$': '$.retry.mode',
      'selected.$': '$.retry.selected',
      'byReason.$': '$.retry.byReason',
    });
  });

  it('still publishes the first round when planning or the second round fails', () => {
    for (const name of ['Plan retry', 'Retry on demand', 'Retry batch jobs']) {
      expect(states[name].Catch, name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.retryError', Next: 'No second chance' },
      ]);
    }
    expect(states['No second chance']).toMatchObject({
      Result: { mode: 'none', selected: 0, byReason: {}, items: [] },
      ResultPath: '$.retry',
      Next: 'Collect results',
    });
  });

  it('runs second-round batch jobs through the same lifecycle, as child executions', () => {
    expect(retryBatch.ItemProcessor.ProcessorConfig).toEqual({
      Mode: 'DISTRIBUTED',
      ExecutionType: 'STANDARD',
    });
    expect(retryBatch.ItemProcessor.StartAt).toBe('Submit retry job');
    expect(retryInner['Retry job finished?'].Choices.map((c: Untyped) => c.Next)).toEqual([
      'Wait for retry job',
      'Submit retry job',
      'Retry job done',
    ]);
    expect(retryInner['Submit retry job'].Retry).toEqual(inner['Submit job'].Retry);
  });
});

describe('state machine resource', () => {
  it('logs everything except execution data, traces, and times out above the longest job', () => {
    const props = stateMachine.Properties!;
    expect(props.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
    expect(definition.TimeoutSeconds).toBeGreaterThan((72 + 24) * 3600);
  });

  it('logs to a group under /aws/vendedlogs/states/, named after the stack and unique per stack creation', () => {
    const destination = stateMachine.Properties!.LoggingConfiguration.Destinations[0];
    const groupId = destination.CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0] as string;
    const name = json.Resources[groupId]!.Properties!.LogGroupName;
    expect(name['Fn::Join'][1][0]).toBe('/aws/vendedlogs/states/BedrockBatchPipelineLocal-');
    expect(name['Fn::Join'][1][1]).toEqual({
      'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }],
    });
  });
});

describe('synthesizeLocalDefinition', () => {
  it('maps every handler to the logical id of its Lambda function', () => {
    expect(Object.keys(local.logicalIds).sort()).toEqual([...HANDLER_NAMES].sort());
    for (const name of HANDLER_NAMES) {
      expect(json.Resources[local.logicalIds[name]]?.Type, name).toBe('AWS::Lambda::Function');
      expect(functionArns[name]).toBe(placeholderFunctionArn(local.logicalIds[name]));
    }
  });

  it('returns plain ASL: no template functions, placeholder ARNs for Lambda and SNS', () => {
    expect(JSON.stringify(definition)).not.toContain('Fn::');
    expect(states['Notify success'].Resource).toBe('arn:aws:states:::sns:publish');
    expect(states['Notify success'].Parameters.TopicArn).toMatch(/^arn:aws:sns:us-east-1:123456789012:/);
  });

  it('refuses template values it cannot resolve', () => {
    expect(() => resolveTemplateString(local.template, { 'Fn::Select': [0, []] })).toThrow('Cannot resolve');
  });
});
