import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../../../test/harness.ts';

/**
 * Test setup for the properties, overrides and entitlements suites: everything through the API (the behaviour under
 * test), with helpers that expect success.
 */
export async function createProperty(t: TestApp, payload: Record<string, unknown>, token?: string) {
  const res = await t.request({ method: 'POST', url: '/v1/properties', payload, ...(token ? { token } : {}) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; key: string; productId: string; [k: string]: unknown };
}

export async function setPlanValue(t: TestApp, planId: string, propertyId: string, payload: Record<string, unknown>) {
  const res = await t.request({ method: 'PUT', url: `/v1/plans/${planId}/properties/${propertyId}`, payload });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export async function createOverride(t: TestApp, payload: Record<string, unknown>, token?: string) {
  const res = await t.request({ method: 'POST', url: '/v1/overrides', payload, ...(token ? { token } : {}) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; [k: string]: unknown };
}

export async function createPlan(t: TestApp, payload: Record<string, unknown>) {
  const res = await t.request({ method: 'POST', url: '/v1/plans', payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; name: string; basePlanId: string | null; [k: string]: unknown };
}

/** An error response's status, code and field paths, for compact assertions. */
export function errorOf(res: LightMyRequestResponse) {
  const body = res.json() as { error?: { code: string; details?: { field: string }[] } };
  return {
    status: res.statusCode,
    code: body.error?.code,
    fields: (body.error?.details ?? []).map((d) => d.field),
  };
}

/** The audit events of one target, oldest first. */
export function auditOfTarget(t: TestApp, targetId: string) {
  return t.kw.database.db
    .selectFrom('audit_events')
    .select(['action', 'before', 'after', 'actor_name', 'product_id', 'account_id', 'license_id'])
    .where('target_id', '=', targetId)
    .orderBy('id')
    .execute();
}
