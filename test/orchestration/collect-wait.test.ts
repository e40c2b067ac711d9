import { describe, expect, it } from 'vitest';
import { nextWaitSeconds } from '../../lambda/orchestration/collect-step';

// A Collect step stopped by a long rate-limit wait returns the Wait the state machine sleeps
// before the next step. The next step first reads the checkpoint and replays it, which takes
// about as long as this step took before Okta's first answer: the Wait ends that much earlier,
// so the replay happens while the window is closed and the window is used from its start.

const T = 1_700_000_000_000;

describe('the Wait a Collect step asks for', () => {
  it('is the time until the window reopens, less what the step took before Okta first answered', () => {
    // Began at T, first answer 12 s later, stopped with the window reopening 50 s after now.
    expect(nextWaitSeconds({ resetAt: T + 70_000, now: T + 20_000, startedAt: T, firstAnswerAt: T + 12_000 })).toBe(38);
  });

  it('is the whole wait for a step that began with Okta at once, rounded up to whole seconds', () => {
    expect(nextWaitSeconds({ resetAt: T + 45_500, now: T + 5_000, startedAt: T, firstAnswerAt: T })).toBe(41);
  });

  it('is no wait at all when the resume takes longer than the window has left', () => {
    expect(nextWaitSeconds({ resetAt: T + 30_000, now: T + 25_000, startedAt: T, firstAnswerAt: T + 9_000 })).toBe(0);
  });

  it('counts the whole step as its resume when Okta never answered it', () => {
    expect(nextWaitSeconds({ resetAt: T + 60_000, now: T + 15_000, startedAt: T, firstAnswerAt: null })).toBe(30);
  });

  it('is no wait after a stop at the deadline (the window is open)', () => {
    expect(nextWaitSeconds({ resetAt: T + 20_000, now: T + 20_000, startedAt: T, firstAnswerAt: T + 1_000 })).toBe(0);
  });
});
