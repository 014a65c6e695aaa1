import { describe, expect, it } from 'vitest';
import { deadlineOf, hasTimeFor, NO_DEADLINE } from '../../../lambda/core/on-demand/budget';

describe('deadlineOf', () => {
  it("reads the Lambda context's remaining time at each call", () => {
    let remaining = 90_000;
    const deadline = deadlineOf({ getRemainingTimeInMillis: () => remaining });
    expect(deadline.remainingMs()).toBe(90_000);
    remaining = 1_000;
    expect(deadline.remainingMs()).toBe(1_000);
  });

  it('never comes without a context', () => {
    expect(deadlineOf(undefined)).toBe(NO_DEADLINE);
  });
});

describe('hasTimeFor', () => {
  it('is true while more than the margin and the time needed remain', () => {
    const deadline = { remainingMs: () => 70_000 };
    expect(hasTimeFor(deadline, 60_000)).toBe(true);
    expect(hasTimeFor(deadline, 60_000, 10_000)).toBe(false);
    expect(hasTimeFor(NO_DEADLINE, 60_000, 10_000)).toBe(true);
  });
});
