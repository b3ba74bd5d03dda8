import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../../../test/harness.ts';
import type { FlagDto, SegmentDto } from './flags.schemas.ts';
import type { CustomerFlagsDto, ToggleDto } from './toggles.schemas.ts';

/** Test helpers for the flags suites: everything through the API, expecting success unless said otherwise. */

const as = (token?: string) => (token ? { token } : {});

export async function createFlag(t: TestApp, payload: Record<string, unknown>, token?: string): Promise<FlagDto> {
  const res = await t.request({ method: 'POST', url: '/v1/flags', payload, ...as(token) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export async function patchFlag(t: TestApp, id: string, payload: Record<string, unknown>): Promise<FlagDto> {
  const res = await t.request({ method: 'PATCH', url: `/v1/flags/${id}`, payload });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export async function createSegment(t: TestApp, payload: Record<string, unknown>): Promise<SegmentDto> {
  const res = await t.request({ method: 'POST', url: '/v1/flag-segments', payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export function toggle(
  t: TestApp,
  flagId: string,
  scope: 'account' | 'license',
  targetId: string,
  payload: { enabled: boolean; reason?: string },
  token?: string,
) {
  return t.request({
    method: 'PUT',
    url: `/v1/flags/${flagId}/toggles/${scope}/${targetId}`,
    payload,
    ...as(token),
  });
}

export async function setToggle(
  t: TestApp,
  flagId: string,
  scope: 'account' | 'license',
  targetId: string,
  enabled: boolean,
  reason = '',
): Promise<ToggleDto> {
  const res = await toggle(t, flagId, scope, targetId, { enabled, reason });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export async function licenseFlags(t: TestApp, licenseId: string): Promise<CustomerFlagsDto> {
  const res = await t.request({ method: 'GET', url: `/v1/licenses/${licenseId}/flags` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** key → enabled, from a customer's flag list. */
export async function enabledFor(t: TestApp, licenseId: string): Promise<Record<string, boolean>> {
  const list = await licenseFlags(t, licenseId);
  return Object.fromEntries(list.flags.map((f) => [f.key, f.evaluated.enabled]));
}

/** An error response's status, code and field paths, for compact assertions. */
export function errorOf(res: LightMyRequestResponse) {
  const body = res.json() as { error?: { code: string; details?: { field: string }[] } };
  return { status: res.statusCode, code: body.error?.code, fields: (body.error?.details ?? []).map((d) => d.field) };
}

/** The audit events of a target, oldest first. */
export function auditOf(t: TestApp, targetId: string) {
  return t.kw.database.db
    .selectFrom('audit_events')
    .select(['action', 'before', 'after', 'actor_name', 'product_id', 'account_id', 'license_id'])
    .where('target_id', '=', targetId)
    .orderBy('id')
    .execute();
}

export const rollout = (percent: number, extra: Record<string, unknown> = {}) => ({
  name: 'flexibleRollout',
  parameters: { rollout: String(percent), stickiness: 'default', groupId: 'g' },
  ...extra,
});
