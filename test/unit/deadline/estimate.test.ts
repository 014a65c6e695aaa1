import { describe, expect, it } from 'vitest';
import {
  batchEndsAt,
  DEFAULT_ON_DEMAND_CALLS_IN_FLIGHT,
  deadlineDecision,
  dueAt,
  MIN_CHECK_SECONDS,
  ON_DEMAND_SAFETY_FACTOR,
  ON_DEMAND_SECONDS_PER_RECORD,
  onDemandSeconds,
  runDeadline,
  SWITCH_OVERHEAD_SECONDS,
} from '../../../lambda/core/deadline/estimate';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('onDemandSeconds', () => {
  it('is records × 2 s ÷ calls in flight × 1.5, plus 15 minutes', () => {
    expect(ON_DEMAND_SECONDS_PER_RECORD).toBe(2);
    expect(DEFAULT_ON_DEMAND_CALLS_IN_FLIGHT).toBe(4);
    expect(ON_DEMAND_SAFETY_FACTOR).toBe(1.5);
    expect(SWITCH_OVERHEAD_SECONDS).toBe(900);
    expect(onDemandSeconds(1000)).toBe(750 + 900);
    expect(onDemandSeconds(1000, 8)).toBe(375 + 900);
    expect(onDemandSeconds(1)).toBe(1 + 900);
  });

  it('is the overhead alone for no record, and never divides by less than one call', () => {
    expect(onDemandSeconds(0)).toBe(900);
    expect(onDemandSeconds(-5)).toBe(900);
    expect(onDemandSeconds(10, 0)).toBe(30 + 900);
  });
});

describe('runDeadline (Prepare, before the first job)', () => {
  it('is null without deadlineHours', () => {
    expect(runDeadline(undefined, 500)).toBeNull();
  });

  it('is feasible when the whole run on demand fits in the hours', () => {
    expect(runDeadline(1, 200)).toEqual({ hours: 1, records: 200, onDemandSeconds: 1050, feasible: true });
  });

  it('says when even the whole run on demand cannot meet the deadline', () => {
    // 10,000 records: 7,500 s of calls + 900 s > 2 hours.
    expect(runDeadline(2, 10_000)).toMatchObject({ onDemandSeconds: 8400, feasible: false });
    expect(runDeadline(3, 10_000)?.feasible).toBe(true);
  });
});

describe('dueAt', () => {
  it('is the run start plus the hours', () => {
    expect(dueAt('2026-12-01T06:00:00.000Z', 4).toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });
});

describe('batchEndsAt', () => {
  it('projects the time per processed record since submission onto the records left', () => {
    expect(batchEndsAt({ now: HOUR, submittedAt: 0, records: 200, processed: 50 })).toBe(4 * HOUR);
    expect(batchEndsAt({ now: HOUR, submittedAt: 0, records: 200, processed: 200 })).toBe(HOUR);
  });

  it('is unknown before the first record is processed', () => {
    expect(batchEndsAt({ now: HOUR, submittedAt: 0, records: 200, processed: 0 })).toBeUndefined();
  });
});

describe('deadlineDecision', () => {
  // 200 records left take 1,050 s on demand: the last moment to switch is 17.5 minutes before the deadline.
  const base = { submittedAt: 0, dueAt: HOUR, records: 200, processed: 0, waitSeconds: 300 };
  const lastSwitch = HOUR - 1050 * 1000;

  it('keeps a job projected to end by the deadline running, with its own wait', () => {
    const decision = deadlineDecision({ ...base, now: 20 * MINUTE, processed: 150, waitSeconds: 300 });
    expect(decision).toEqual({
      action: 'wait',
      waitSeconds: 300,
      batchEndsAt: 20 * MINUTE + (50 * 20 * MINUTE) / 150,
    });
  });

  it('waits while on demand could still do the rest after the next check, never past the last moment', () => {
    expect(deadlineDecision({ ...base, now: 10 * MINUTE })).toEqual({ action: 'wait', waitSeconds: 300 });
    const near = lastSwitch - 120_000;
    expect(deadlineDecision({ ...base, now: near })).toEqual({ action: 'wait', waitSeconds: 120 });
  });

  it('switches at the last check that leaves enough time on demand', () => {
    const decision = deadlineDecision({ ...base, now: lastSwitch - 30_000 });
    expect(decision).toEqual({ action: 'switch', remaining: 200, onDemandSeconds: 1050 });
    expect(deadlineDecision({ ...base, now: lastSwitch }).action).toBe('switch');
  });

  it('switches a job projected to end late, for the records it has not processed', () => {
    // 150 left: 150 × 2 ÷ 4 × 1.5 = 113 s of calls + 900 s; the last moment is 43.1 minutes in.
    const early = deadlineDecision({ ...base, now: 40 * MINUTE, processed: 50 });
    expect(early).toMatchObject({ action: 'wait', waitSeconds: 187 });
    const now = 42.5 * MINUTE;
    const decision = deadlineDecision({ ...base, now, processed: 50 });
    expect(decision).toMatchObject({ action: 'switch', remaining: 150, onDemandSeconds: 1013 });
    expect(decision.batchEndsAt).toBe(now + 150 * (now / 50));
  });

  it('is too late once even on demand would end after the deadline (the batch job goes on)', () => {
    expect(deadlineDecision({ ...base, now: lastSwitch + 1000 })).toMatchObject({
      action: 'too-late',
      remaining: 200,
    });
    expect(deadlineDecision({ ...base, now: 0, records: 100_000 }).action).toBe('too-late');
  });

  it('does nothing when every record is processed', () => {
    expect(deadlineDecision({ ...base, now: HOUR, processed: 200 })).toMatchObject({ action: 'wait' });
  });

  it('never waits less than a minute', () => {
    const decision = deadlineDecision({ ...base, now: lastSwitch - 61_000, waitSeconds: 1800 });
    expect(decision).toEqual({ action: 'wait', waitSeconds: MIN_CHECK_SECONDS + 1 });
  });

  it('counts on more calls in flight when told to', () => {
    const now = HOUR - 1000 * 1000;
    expect(deadlineDecision({ ...base, now }).action).toBe('too-late');
    expect(deadlineDecision({ ...base, now, callsInFlight: 64 }).action).toBe('wait');
  });
});
