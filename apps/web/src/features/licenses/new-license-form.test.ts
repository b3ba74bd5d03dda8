import { describe, expect, it } from 'vitest';
import { buildCreateBody, fieldOf, formErrors, type NewLicenseForm } from './new-license-form.ts';

const ids = { accountId: 'acc', planId: 'plan' };
const now = new Date(2026, 0, 30, 14, 0, 0);
const form = (over: Partial<NewLicenseForm> = {}): NewLicenseForm => ({
  name: '',
  licenseType: 'subscription',
  startDate: '2026-01-30',
  endDate: '2027-01-30',
  maxMachines: 5,
  domains: [],
  paymentStatus: null,
  purchaseMethod: '',
  orderReference: ' ',
  invoiceUrl: '',
  notes: '',
  ...over,
});

describe('buildCreateBody', () => {
  it('starts now and ends exactly on the end date at the same time', () => {
    const body = buildCreateBody(ids, form(), now);
    expect(body).toEqual({
      accountId: 'acc',
      planId: 'plan',
      licenseType: 'subscription',
      startsAt: now.toISOString(),
      endsAt: new Date(2027, 0, 30, 14, 0, 0).toISOString(),
      maxMachines: 5,
      domains: [],
    });
  });

  it('sends endsAt null for "never" and unlimited seats as null', () => {
    const body = buildCreateBody(ids, form({ endDate: null, maxMachines: null }), now);
    expect(body.endsAt).toBeNull();
    expect(body.maxMachines).toBeNull();
  });

  it('sends only the billing fields that are filled in, trimmed', () => {
    const body = buildCreateBody(
      ids,
      form({
        paymentStatus: 'paid',
        orderReference: ' PO-7 ',
        name: ' Prod ',
        notes: 'hi',
        domains: [' a.example.com '],
      }),
      now,
    );
    expect(body.billing).toEqual({ paymentStatus: 'paid', orderReference: 'PO-7' });
    expect(body.name).toBe('Prod');
    expect(body.notes).toBe('hi');
    expect(body.domains).toEqual(['a.example.com']);
  });
});

describe('API field errors', () => {
  it('maps body paths to form fields', () => {
    expect(fieldOf('/body/endsAt')).toBe('endDate');
    expect(fieldOf('/body/startsAt')).toBe('startDate');
    expect(fieldOf('/body/billing/invoiceUrl')).toBe('invoiceUrl');
    expect(fieldOf('/body/domains/2')).toBe('domains');
    expect(fieldOf('/body')).toBe('form');
  });

  it('keeps the first message per field', () => {
    expect(
      formErrors([
        { field: '/body/domains/0', message: 'must match pattern' },
        { field: '/body/domains/1', message: 'second' },
        { field: '/body/endsAt', message: 'must be after the start' },
      ]),
    ).toEqual({ domains: 'must match pattern', endDate: 'must be after the start' });
  });
});
