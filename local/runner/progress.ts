/**
 * Progress of a local run from the execution's events: the state entered, each job's status and record
 * counters, and the elapsed time. On a terminal one live line is rewritten; otherwise plain lines are
 * written, one per change.
 */
import type { ExecutionEvent } from './execution';

/** Where progress goes. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

interface JobView {
  readonly status: string;
  readonly processed: number;
  readonly total: number;
  readonly errors: number;
}

/** Formats milliseconds as `12.3s`, `4m 05s` or `3h 12m`. */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** Turns execution events into progress output. */
export class ProgressReporter {
  private readonly started = performance.now();
  private readonly jobs = new Map<number, JobView>();
  private state = 'Starting';
  private lastLine = '';
  private readonly ticker?: NodeJS.Timeout;

  constructor(
    private readonly out: ProgressStream,
    private readonly simulatedElapsed: () => number = () => 0,
  ) {
    if (out.isTTY) {
      this.ticker = setInterval(() => this.emit(''), 250);
      this.ticker.unref();
    }
  }

  /** Handles one execution event. */
  onEvent(event: ExecutionEvent): void {
    const name = event.state?.name;
    if (event.type === 'StateEntered' && name !== undefined && event.index === undefined) {
      this.state = name;
      this.emit(name);
      return;
    }
    if (event.type === 'StateExited' && event.state?.type === 'Task') {
      const job = readJob(event.state.output);
      if (job === undefined) return;
      const previous = this.jobs.get(job.shard);
      if (previous && previous.status === job.view.status && previous.processed === job.view.processed)
        return;
      this.jobs.set(job.shard, job.view);
      this.emit(`shard ${job.shard}: ${describeJob(job.view)}`);
      return;
    }
    if (event.type === 'StateFailed' && name !== undefined) {
      const what = event.state?.type === 'Fail' ? name : `${name} failed`;
      this.emit(`${what}: ${event.Error ?? 'error'}`);
    }
  }

  /** Clears the live line (terminal) before the summary is printed. */
  finish(): void {
    clearInterval(this.ticker);
    if (this.out.isTTY && this.lastLine !== '') this.out.write('\r\x1b[K');
    this.lastLine = '';
  }

  private elapsed(): string {
    const real = formatDuration(performance.now() - this.started);
    const simulated = this.simulatedElapsed();
    return simulated >= 60_000 ? `${real}, simulated ${formatDuration(simulated)}` : real;
  }

  private emit(change: string): void {
    if (!this.out.isTTY) {
      this.out.write(`[${this.elapsed()}] ${change}\n`);
      return;
    }
    const jobs = [...this.jobs.entries()]
      .sort(([a], [b]) => a - b)
      .map(([shard, view]) => `#${shard} ${view.status} ${view.processed}/${view.total}`)
      .join(' · ');
    const line = `[${this.elapsed()}] ${this.state}${jobs === '' ? '' : ` | ${jobs}`}`;
    const columns = (this.out as { columns?: number }).columns ?? 0;
    const width = columns > 20 ? columns - 1 : 119;
    this.lastLine = line.length > width ? `${line.slice(0, width - 1)}…` : line;
    this.out.write(`\r\x1b[K${this.lastLine}`);
  }
}

function readJob(output: unknown): { shard: number; view: JobView } | undefined {
  const state = output as {
    shard?: number;
    job?: { status?: string; counters?: Record<string, number> };
  } | null;
  const job = state?.job;
  if (typeof job?.status !== 'string' || typeof state?.shard !== 'number') return undefined;
  return {
    shard: state.shard,
    view: {
      status: job.status,
      processed: job.counters?.processedRecordCount ?? 0,
      total: job.counters?.totalRecordCount ?? 0,
      errors: job.counters?.errorRecordCount ?? 0,
    },
  };
}

function describeJob(view: JobView): string {
  const errors = view.errors > 0 ? `, ${view.errors} record errors` : '';
  return `${view.status}, ${view.processed}/${view.total} records processed${errors}`;
}
