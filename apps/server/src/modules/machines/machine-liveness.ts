/**
 * Heartbeats (Keygen style): on a plan with `heartbeat_interval_seconds`, a machine that has not sent a heartbeat
 * (or, before its first one, been activated) within the interval is dead: it no longer holds a seat, validation
 * with its fingerprint answers HEARTBEAT_DEAD and the next activation on the license culls (deletes) it.
 */
export interface LivenessInput {
  created_at: Date;
  last_heartbeat_at: Date | null;
}

export function lastSeenAt(machine: LivenessInput): Date {
  return machine.last_heartbeat_at ?? machine.created_at;
}

/** Machines last seen before this instant are dead; null when the plan has no heartbeat (machines never die). */
export function heartbeatCutoff(intervalSeconds: number | null, now: Date): Date | null {
  return intervalSeconds ? new Date(now.getTime() - intervalSeconds * 1000) : null;
}

export function isMachineDead(machine: LivenessInput, intervalSeconds: number | null, now: Date): boolean {
  const cutoff = heartbeatCutoff(intervalSeconds, now);
  return cutoff !== null && lastSeenAt(machine) < cutoff;
}

export function nextHeartbeatDueAt(lastSeen: Date, intervalSeconds: number | null): Date | null {
  return intervalSeconds ? new Date(lastSeen.getTime() + intervalSeconds * 1000) : null;
}
