/** A heartbeat loop: beats on the server's schedule, backs off on errors, stops on a refusal. */
import { KeywardError } from './errors.ts';
import type { HeartbeatResult, MachineKeyInput } from './types.ts';

export interface HeartbeatLoopOptions extends MachineKeyInput {
  /**
   * Time between beats. When the server answers with nextHeartbeatDueAt, the loop beats at half the time left
   * until then (never later than intervalMs). Default: that half, or 10 minutes when the server gives no due time.
   */
  intervalMs?: number;
  /** Each failed beat (after the client's own retries). A 4xx refusal (e.g. 404 MACHINE_NOT_FOUND) stops the loop. */
  onError?: (error: unknown) => void;
  /** Each successful beat. */
  onBeat?: (result: HeartbeatResult) => void;
}

export interface HeartbeatLoop {
  /** Stops the loop and aborts a beat in flight. */
  stop(): void;
  readonly stopped: boolean;
}

const DEFAULT_INTERVAL_MS = 10 * 60_000;
const MIN_DELAY_MS = 1000;
const ERROR_BASE_MS = 5000;

/** Time to the next beat after a successful one. */
export function beatDelay(result: HeartbeatResult, intervalMs: number | undefined, now: number): number {
  const due = result.nextHeartbeatDueAt ? Date.parse(result.nextHeartbeatDueAt) : Number.NaN;
  if (Number.isNaN(due)) return intervalMs ?? DEFAULT_INTERVAL_MS;
  const half = Math.max(MIN_DELAY_MS, (due - now) / 2);
  return intervalMs === undefined ? half : Math.min(intervalMs, half);
}

/**
 * Time to the next try after `failures` failed beats in a row: exponential from 5 s up to the regular interval,
 * with "equal jitter" (half fixed, half random) so it never drops towards zero; a Retry-After is a floor.
 */
export function errorDelay(failures: number, regularMs: number, error: unknown, random: () => number): number {
  const d = Math.min(Math.max(regularMs, ERROR_BASE_MS), ERROR_BASE_MS * 2 ** (failures - 1));
  const jittered = d / 2 + random() * (d / 2);
  const retryAfter = error instanceof KeywardError && error.retryAfterSeconds ? error.retryAfterSeconds * 1000 : 0;
  return Math.max(jittered, retryAfter);
}

const isRefusal = (err: unknown) =>
  err instanceof KeywardError && err.status >= 400 && err.status < 500 && err.status !== 429;

export function runHeartbeatLoop(
  beat: (signal: AbortSignal) => Promise<HeartbeatResult>,
  options: HeartbeatLoopOptions,
  deps: { now: () => number; random: () => number },
): HeartbeatLoop {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let failures = 0;
  let regular = options.intervalMs ?? DEFAULT_INTERVAL_MS;

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(tick, ms);
    // In Node, a pending heartbeat alone does not keep the process alive.
    (timer as { unref?: () => void }).unref?.();
  };

  async function tick(): Promise<void> {
    timer = null;
    try {
      const result = await beat(controller.signal);
      if (stopped) return;
      failures = 0;
      regular = beatDelay(result, options.intervalMs, deps.now());
      options.onBeat?.(result);
      schedule(regular);
    } catch (err) {
      if (stopped) return;
      options.onError?.(err);
      if (isRefusal(err)) return loop.stop();
      failures++;
      schedule(errorDelay(failures, regular, err, deps.random));
    }
  }

  const loop: HeartbeatLoop = {
    stop() {
      if (stopped) return;
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      controller.abort();
    },
    get stopped() {
      return stopped;
    },
  };
  schedule(0);
  return loop;
}
