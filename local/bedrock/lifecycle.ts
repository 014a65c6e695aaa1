/**
 * One job's life: Submitted → Validating → Scheduled → InProgress → a terminal status, each phase
 * lasting its configured duration on the emulator's clock. Stop requests, the job's timeout and the
 * faults file change the path. The `.out` files grow during InProgress (each progress step writes the
 * records processed so far); the final files and the manifest are written before the terminal status
 * becomes visible.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { ForcedStatus } from '../faults';
import type { AccessPolicy } from './access';
import { answerRecords, type Outcome, processedLines, progress } from './answers';
import type { EmulatorClock } from './clock';
import { checkFiles, findInputFiles, type InputFile, JobFailure, readInput } from './input';
import type { Job } from './job';
import { checkAccess } from './job-access';
import { checkOutputBucket, type Manifest, outputFolder, writeOutputs, writeRecordFiles } from './output';
import type { JobStatus } from './patterns';
import { hash32, shuffled } from './random';
import { limitsFor, type Settings } from './settings';

/** What a running job needs from the emulator. */
interface LifecycleContext {
  readonly s3: S3Client;
  readonly clock: EmulatorClock;
  readonly signal: AbortSignal;
  readonly settings: Settings;
  readonly accountId: string;
  readonly accessPolicy?: AccessPolicy;
  /** Resolves when a stop is requested for the job (wakes a sleeping phase). */
  readonly stopRequested: Promise<void>;
  /** Called after every status or counter change. */
  readonly changed: (job: Job) => void;
}

class Stop extends Error {}

/** Each running job's hold on the clock, let go only while the job sleeps. */
const clockHolds = new WeakMap<Job, () => void>();

function holdClock(job: Job, context: LifecycleContext): void {
  clockHolds.get(job)?.();
  clockHolds.set(job, context.clock.hold?.() ?? (() => undefined));
}

function releaseClock(job: Job): void {
  clockHolds.get(job)?.();
  clockHolds.delete(job);
}

function setStatus(job: Job, context: LifecycleContext, status: JobStatus, message?: string): void {
  const now = context.clock.now();
  job.status = status;
  job.lastModifiedTime = now;
  if (message !== undefined) job.message = message;
  if (
    status === 'Completed' ||
    status === 'PartiallyCompleted' ||
    status === 'Failed' ||
    status === 'Stopped' ||
    status === 'Expired'
  ) {
    job.endTime = now;
  }
  context.changed(job);
}

/**
 * Sleeps until `time`; throws {@link Stop} when a stop request arrives first. The sleep is then
 * cancelled, so a stopped job leaves no wake-up behind on the clock (a simulated clock would otherwise
 * jump to it once the run is idle, and report time that nothing used).
 */
async function until(job: Job, context: LifecycleContext, time: number): Promise<void> {
  if (job.stopRequested) throw new Stop();
  releaseClock(job);
  const sleep = new AbortController();
  try {
    await Promise.race([
      context.clock
        .sleepUntil(time, AbortSignal.any([context.signal, sleep.signal]))
        .catch((error: unknown) => {
          if (context.signal.aborted) throw error;
        }),
      context.stopRequested,
    ]);
  } finally {
    sleep.abort();
    holdClock(job, context);
  }
  if (job.stopRequested) throw new Stop();
}

/** Writes the `.out` files as they stand while the job is InProgress (no manifest yet). */
async function writePartial(
  job: Job,
  context: LifecycleContext,
  files: readonly InputFile[],
  outcomes: readonly Outcome[][],
  order: readonly Outcome[],
): Promise<void> {
  const { lines } = processedLines(job, outcomes, order);
  const folder = outputFolder(job.request.outputDataConfig.s3OutputDataConfig.s3Uri, job.id);
  await writeRecordFiles(context.s3, folder, files, lines, context.settings.seed);
}

async function finish(
  job: Job,
  context: LifecycleContext,
  files: readonly InputFile[],
  outcomes: readonly Outcome[][],
  order: readonly Outcome[],
  status: JobStatus,
  message?: string,
): Promise<void> {
  const { processed, lines } = processedLines(job, outcomes, order);
  const done = [...processed];
  const manifest: Manifest = {
    ...job.counters,
    inputTokenCount: done.reduce((sum, outcome) => sum + outcome.inputTokens, 0),
    outputTokenCount: done.reduce((sum, outcome) => sum + outcome.outputTokens, 0),
  };
  const folder = outputFolder(job.request.outputDataConfig.s3OutputDataConfig.s3Uri, job.id);
  await writeOutputs(context.s3, folder, files, lines, manifest, context.settings.seed);
  setStatus(job, context, status, message);
}

async function stop(job: Job, context: LifecycleContext, onStopped: () => Promise<void>): Promise<void> {
  if (job.status !== 'Stopping') setStatus(job, context, 'Stopping');
  releaseClock(job);
  try {
    await context.clock.sleepUntil(context.clock.now() + context.settings.durations.stopping, context.signal);
  } finally {
    holdClock(job, context);
  }
  await onStopped();
}

/** The terminal status a fault forces on this job, if any. */
function forcedStatus(job: Job, settings: Settings): ForcedStatus | undefined {
  const { finalStatus, finalStatusTimes } = settings.faults;
  if (finalStatus === undefined) return undefined;
  return job.sequence < (finalStatusTimes ?? Number.POSITIVE_INFINITY) ? finalStatus : undefined;
}

/**
 * Drives `job` to a terminal status, holding the clock while it works (see {@link EmulatorClock.hold}).
 * Resolves when it is terminal (or the emulator closed).
 */
export async function runJob(job: Job, context: LifecycleContext): Promise<void> {
  holdClock(job, context);
  try {
    await driveJob(job, context);
  } finally {
    releaseClock(job);
  }
}

async function driveJob(job: Job, context: LifecycleContext): Promise<void> {
  const { settings, clock } = context;
  const d = settings.durations;
  const forced = forcedStatus(job, settings);
  let files: InputFile[] = [];
  let outcomes: Outcome[][] = [];
  let order: Outcome[] = [];
  const stopped = () =>
    order.length > 0
      ? finish(job, context, files, outcomes, order, 'Stopped')
      : Promise.resolve(setStatus(job, context, 'Stopped'));
  try {
    await until(job, context, job.submitTime + d.submitted);
    setStatus(job, context, 'Validating');
    const validationEnd = clock.now() + d.validating;
    const uri = job.request.inputDataConfig.s3InputDataConfig.s3Uri;
    const limits = limitsFor(settings, job.model);
    try {
      files = await findInputFiles(context.s3, uri);
      checkFiles(files, uri, limits);
      checkAccess(job, context.accessPolicy, context.accountId, files);
      await checkOutputBucket(context.s3, job.request.outputDataConfig.s3OutputDataConfig.s3Uri);
      const perFile = await readInput(context.s3, files, limits, job.request.modelId);
      await until(job, context, validationEnd);
      if (forced === 'Failed') {
        throw new JobFailure(
          settings.faults.failureMessage ?? 'The job failed. (emulated finalStatus fault)',
        );
      }
      outcomes = answerRecords(job, settings, limits, perFile);
      order = shuffled(outcomes.flat(), hash32(settings.seed, job.id, 'order'));
      progress(job, order, 0);
    } catch (error) {
      if (!(error instanceof JobFailure)) throw error;
      if (job.stopRequested) throw new Stop();
      setStatus(job, context, 'Failed', error.message);
      return;
    }
    setStatus(job, context, 'Scheduled');
    const start = clock.now() + d.scheduled;
    if (forced === 'Expired' || start > job.expirationTime) {
      await until(job, context, Math.min(start, job.expirationTime));
      setStatus(
        job,
        context,
        'Expired',
        'The job expired before it started: it was still Scheduled at its timeout.',
      );
      return;
    }
    await until(job, context, start);
    setStatus(job, context, 'InProgress');
    const total = order.length;
    const target =
      forced === 'PartiallyCompleted' || forced === 'Stopped'
        ? Math.floor(total * settings.processedFraction)
        : total;
    if (settings.faults.stuck) {
      progress(job, order, Math.floor(target * settings.processedFraction));
      context.changed(job);
      await writePartial(job, context, files, outcomes, order);
      await until(job, context, job.expirationTime);
      await finish(job, context, files, outcomes, order, 'PartiallyCompleted');
      return;
    }
    for (let step = 1; step <= settings.progressSteps; step++) {
      const at = start + (d.inProgress * step) / settings.progressSteps;
      if (at > job.expirationTime) {
        await until(job, context, job.expirationTime);
        const elapsed = (job.expirationTime - start) / d.inProgress;
        progress(job, order, Math.min(target, Math.floor(total * elapsed)));
        await finish(job, context, files, outcomes, order, 'PartiallyCompleted');
        return;
      }
      await until(job, context, at);
      const before = job.counters.processedRecordCount;
      progress(job, order, Math.floor((target * step) / settings.progressSteps));
      context.changed(job);
      if (job.counters.processedRecordCount > before) {
        await writePartial(job, context, files, outcomes, order);
      }
    }
    if (forced === 'Stopped') {
      job.stopRequested = true;
      await stop(job, context, stopped);
    } else {
      await finish(
        job,
        context,
        files,
        outcomes,
        order,
        forced === 'PartiallyCompleted' ? 'PartiallyCompleted' : 'Completed',
      );
    }
  } catch (error) {
    if (error instanceof Stop) {
      await stop(job, context, stopped);
      return;
    }
    if (context.signal.aborted) return;
    setStatus(job, context, 'Failed', `Internal emulator error: ${(error as Error).message}`);
  }
}
