import { describe, expect, it } from 'vitest';
import { nextWaitSeconds } from '../../lambda/orchestration/collect-step';

// A Collect step stopped by a long rate-limit wait returns the Wait the state machine sleeps
// before the next step. The next step first reads the checkpoint and replays it, which takes
// about as long as this (resumed) step took before Okta's first answer: the Wait ends that much
// earlier, so the replay happens while the window is closed and the window is used from its start.

const T = 1_700_000_000_000;

describe('the Wait a Collect step asks for', () => {
  it('is the time until the window reopens, less the time a resumed step takes before Okta first answers', () => {
    // Stopped with the window reopening 50 s from now; this step took 12 s to resume.
    expect(nextWaitSeconds({ resetAt: T + 70_000, now: T + 20_000, resumeMs: 12_000 })).toBe(38);
  });

  it('is the whole wait when there was nothing to resume, in whole seconds', () => {
    expect(nextWaitSeconds({ resetAt: T + 45_500, now: T + 5_000, resumeMs: 0 })).toBe(41);
  });

  it('is no wait at all when the resume takes longer than the window has left', () => {
    expect(nextWaitSeconds({ resetAt: T + 30_000, now: T + 25_000, resumeMs: 9_000 })).toBe(0);
  });

  it('is no wait after a stop at the deadline (the window is open)', () => {
    expect(nextWaitSeconds({ resetAt: T + 20_000, now: T + 20_000, resumeMs: 1_000 })).toBe(0);
  });
});
