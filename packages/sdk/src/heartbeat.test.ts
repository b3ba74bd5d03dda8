import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, json } from '../test/fake-server.ts';
import { LICENSE_KEY, makeKey } from '../test/spec-fixtures.ts';
import { KeywardClient } from './client.ts';
import { beatDelay, errorDelay } from './heartbeat.ts';

const key = makeKey();
const T0 = new Date('2026-12-01T00:00:00.000Z').getTime();

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

function loopClient(answer: () => Response) {
  const { fetch, calls } = fakeFetch(key, async () => answer());
  const kw = new KeywardClient({
    baseUrl: 'https://kw.test',
    fetch,
    verifySignatures: false,
    retry: false,
    random: () => 0.5,
  });
  return { kw, beats: () => calls.length };
}

const due = (inMs: number) => json(200, { machine: {}, nextHeartbeatDueAt: new Date(Date.now() + inMs).toISOString() });

describe('startHeartbeatLoop', () => {
  it('beats at once, then at half the time left until nextHeartbeatDueAt; stop() ends it', async () => {
    const { kw, beats } = loopClient(() => due(120_000));
    const onBeat = vi.fn();
    const loop = kw.startHeartbeatLoop({ key: LICENSE_KEY, fingerprint: 'fp', onBeat });
    await vi.advanceTimersByTimeAsync(0);
    expect(beats()).toBe(1);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(beats()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(beats()).toBe(2);
    expect(onBeat).toHaveBeenCalledTimes(2);
    loop.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect([beats(), loop.stopped]).toEqual([2, true]);
  });

  it('uses intervalMs when the server gives no due time, or when it is shorter', () => {
    expect(beatDelay({ machine: {}, nextHeartbeatDueAt: null }, 30_000, T0)).toBe(30_000);
    expect(beatDelay({ machine: {}, nextHeartbeatDueAt: null }, undefined, T0)).toBe(600_000);
    const r = { machine: {}, nextHeartbeatDueAt: new Date(T0 + 600_000).toISOString() };
    expect(beatDelay(r, 30_000, T0)).toBe(30_000);
    expect(beatDelay(r, undefined, T0)).toBe(300_000);
  });

  it('backs off on errors (growing, never below half the step, Retry-After as a floor) and recovers', async () => {
    let failing = true;
    const { kw, beats } = loopClient(() => (failing ? json(503, {}) : due(120_000)));
    const onError = vi.fn();
    const loop = kw.startHeartbeatLoop({ key: LICENSE_KEY, fingerprint: 'fp', intervalMs: 60_000, onError });
    await vi.advanceTimersByTimeAsync(0);
    expect(onError).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3_749); // first wait: 5 s step, equal jitter at 0.5 → 3.75 s
    expect(beats()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(beats()).toBe(2);
    await vi.advanceTimersByTimeAsync(7_499); // then 10 s step → 7.5 s
    expect(beats()).toBe(2);
    failing = false;
    await vi.advanceTimersByTimeAsync(1);
    expect([beats(), onError.mock.calls.length]).toEqual([3, 2]);
    loop.stop();
    expect(errorDelay(10, 60_000, null, () => 0)).toBe(30_000);
  });

  it('stops on a refusal such as 404 MACHINE_NOT_FOUND', async () => {
    const { kw, beats } = loopClient(() => json(404, { error: { code: 'MACHINE_NOT_FOUND', message: 'gone' } }));
    const onError = vi.fn();
    const loop = kw.startHeartbeatLoop({ key: LICENSE_KEY, fingerprint: 'fp', intervalMs: 1000, onError });
    await vi.advanceTimersByTimeAsync(10_000);
    expect([beats(), loop.stopped, onError.mock.calls[0]?.[0]?.code]).toEqual([1, true, 'MACHINE_NOT_FOUND']);
  });
});
