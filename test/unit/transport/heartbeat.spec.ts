import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Heartbeat, type HeartbeatTarget } from '../../../lib/transport/heartbeat.js';

// Timers and the clock are fake; setImmediate stays real, so a test can stop between the timer
// firing and the check that runs after pending I/O, as on a busy event loop.
beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'clearImmediate'], now: 1_000_000 });
});
afterEach(() => {
  jest.useRealTimers();
});

const INTERVAL = 1000;

function target(firstId = 1): HeartbeatTarget & { sent: number[]; destroyed: string[] } {
  let next = firstId;
  const sent: number[] = [];
  const destroyed: string[] = [];
  return {
    sent,
    destroyed,
    takeId: () => next++,
    sendHeartbeat: (id) => sent.push(id),
    destroy: (reason) => destroyed.push(reason),
  };
}

/** Advances the fake clock, then lets the check the timer queued (a real setImmediate) run. */
async function advance(ms: number): Promise<void> {
  jest.advanceTimersByTime(ms);
  await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('Heartbeat', () => {
  it('sends nothing before an interval of silence, one heartbeat at it', async () => {
    const t = target();
    const hb = new Heartbeat(t, INTERVAL);
    hb.start();
    await advance(INTERVAL - 1);
    expect(t.sent).toEqual([]);
    await advance(1);
    expect(t.sent).toEqual([1]);
    expect(t.destroyed).toEqual([]);
    hb.stop();
  });

  it('takes each heartbeat id from the target: one per silent interval, then destroys after three', async () => {
    const t = target(41);
    const hb = new Heartbeat(t, INTERVAL);
    hb.start();
    await advance(INTERVAL);
    expect(t.sent).toEqual([41]);
    await advance(INTERVAL);
    expect(t.sent).toEqual([41, 42]);
    expect(t.destroyed).toEqual([]);
    await advance(INTERVAL);
    expect(t.sent).toEqual([41, 42]);
    expect(t.destroyed).toEqual(['nothing read for 3000 ms (3 heartbeats missed)']);
    // Nothing is left scheduled once it gave up.
    expect(jest.getTimerCount()).toBe(0);
  });

  it('counts any read: the check moves to lastRead + interval and nothing is sent', async () => {
    const t = target();
    const hb = new Heartbeat(t, INTERVAL);
    hb.start();
    await advance(600);
    hb.noteRead();
    await advance(400);
    expect(t.sent).toEqual([]);
    await advance(599);
    expect(t.sent).toEqual([]);
    await advance(1);
    expect(t.sent).toEqual([1]);
    hb.stop();
  });

  it('a connection that answers every heartbeat is never destroyed', async () => {
    const t = target();
    const hb = new Heartbeat(t, INTERVAL);
    hb.start();
    for (let i = 0; i < 10; i++) {
      await advance(INTERVAL);
      hb.noteRead();
    }
    expect(t.sent).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(t.destroyed).toEqual([]);
    hb.stop();
  });

  it('a read that lands between the timer and the check (I/O after a blocked loop) counts', async () => {
    const t = target();
    const hb = new Heartbeat(t, INTERVAL);
    hb.start();
    jest.advanceTimersByTime(3 * INTERVAL);
    // The timer fired late (3 intervals, enough to give up); the check waits behind pending I/O.
    hb.noteRead();
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(t.sent).toEqual([]);
    expect(t.destroyed).toEqual([]);
    expect(jest.getTimerCount()).toBe(1);
    hb.stop();
  });

  it('stop() cancels the timer and a check already queued; start() again begins a fresh interval', async () => {
    const t = target();
    const hb = new Heartbeat(t, INTERVAL);
    hb.start();
    jest.advanceTimersByTime(INTERVAL);
    hb.stop();
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(t.sent).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
    hb.stop();
    hb.start();
    await advance(INTERVAL - 1);
    expect(t.sent).toEqual([]);
    await advance(1);
    expect(t.sent).toEqual([1]);
    hb.stop();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('keeps one timer at a time, and it does not hold the process open', () => {
    jest.useRealTimers();
    const hb = new Heartbeat(target(), 60_000);
    hb.start();
    hb.start();
    const timer = (hb as unknown as { timer: NodeJS.Timeout }).timer;
    expect(timer.hasRef()).toBe(false);
    hb.stop();
    expect((hb as unknown as { timer: NodeJS.Timeout | undefined }).timer).toBeUndefined();
  });
});
