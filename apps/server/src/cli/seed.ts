import { sql } from 'kysely';
import type { Keyward } from '../app.ts';
import { AccountsService } from '../modules/accounts/accounts.service.ts';
import { LicenseActionsService } from '../modules/licenses/license-actions.service.ts';
import type { CreateLicenseInput } from '../modules/licenses/licenses.schemas.ts';
import { LicensesService } from '../modules/licenses/licenses.service.ts';
import { PlansService } from '../modules/plans/plans.service.ts';
import { ProductsService } from '../modules/products/products.service.ts';
import { systemContext } from '../platform/auth/actor.ts';
import { addDays } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { joinedTransaction } from './joined-transaction.ts';
import { seedEntitlementsDemo } from './seed-entitlements.ts';

const SEED_LOCK_ID = 4_815_162_344;
export const DEMO_MARKER = 'demo_seeded';

/**
 * Seeds the demo data once per database: under a transaction-level advisory lock (two processes starting together
 * on one PostgreSQL seed once), all in that one transaction (a crash half-way leaves nothing), marked by the
 * `demo_seeded` row in instance_settings. A database that already has products is never seeded (but is marked).
 * Returns true when this call seeded.
 */
export async function seedDemoOnce(kw: Keyward): Promise<boolean> {
  const { clock } = kw;
  return kw.database.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${SEED_LOCK_ID})`.execute(trx);
    const marker = await trx
      .selectFrom('instance_settings')
      .select('key')
      .where('key', '=', DEMO_MARKER)
      .executeTakeFirst();
    if (marker) return false;
    const hasData = await trx.selectFrom('products').select('id').limit(1).executeTakeFirst();
    if (!hasData) await seedDemo(joinedTransaction(trx), kw);
    await trx
      .insertInto('instance_settings')
      .values({
        key: DEMO_MARKER,
        value: JSON.stringify({ seeded: !hasData, at: clock.now().toISOString() }),
        updated_at: clock.now(),
      })
      .execute();
    return !hasData;
  });
}

/** The demo catalogue, written through the services (so every record has its audit event, actor "seed"). */
async function seedDemo(db: Db, kw: Keyward): Promise<void> {
  const { clock, config } = kw;
  const deps = { db, clock, expiringWindowDays: config.expiringWindowDays };
  const products = new ProductsService(deps);
  const plans = new PlansService(deps);
  const accounts = new AccountsService(deps);
  const licenses = new LicensesService(deps);
  const actions = new LicenseActionsService(deps);
  const ctx = systemContext('seed');
  const now = clock.now();
  const daysFromNow = (d: number) => addDays(now, d).toISOString();

  const acme = await products.create(ctx, {
    code: 'ACME',
    name: 'Acme Analytics',
    description: 'Self-hosted product analytics with dashboards and PDF exports.',
  });
  const flow = await products.create(ctx, {
    code: 'FLOW',
    name: 'Flowdesk',
    description: 'Help desk and workflow automation for support teams.',
  });

  const acmeTrial = await plans.create(ctx, {
    productId: acme.id,
    name: 'Trial',
    licenseType: 'trial',
    durationDays: 14,
    maxMachines: 2,
    entitlements: ['dashboards'],
  });
  const acmeYearly = await plans.create(ctx, {
    productId: acme.id,
    name: 'Business Yearly',
    licenseType: 'subscription',
    durationDays: 365,
    graceDays: 14,
    maintenanceDays: 365,
    maxMachines: 10,
    heartbeatIntervalSeconds: 3600,
    entitlements: ['dashboards', 'export.pdf', 'sso'],
    // Offline: files by key last at most 14 days; at most 3 fingerprint-less ones per license at a time.
    maxOfflineSeconds: 14 * 86_400,
    maxUnboundFiles: 3,
  });
  const acmePerpetual = await plans.create(ctx, {
    productId: acme.id,
    name: 'Perpetual Workstation',
    licenseType: 'perpetual',
    maintenanceDays: 365,
    floating: false,
    requireFingerprint: true,
    expirationStrategy: 'maintain',
    entitlements: ['dashboards', 'export.pdf'],
    // Air-gapped workstations: machine-bound files of up to 90 days, every signed call with a nonce.
    maxOfflineSeconds: 90 * 86_400,
    requireNonce: true,
  });
  const flowTrial = await plans.create(ctx, {
    productId: flow.id,
    name: 'Trial',
    licenseType: 'trial',
    durationDays: 14,
    maxMachines: 3,
  });
  const flowTeam = await plans.create(ctx, {
    productId: flow.id,
    name: 'Team Yearly',
    licenseType: 'subscription',
    durationDays: 365,
    graceDays: 7,
    maxMachines: 25,
    requireDomain: true,
    entitlements: ['automations', 'sla-reports'],
  });

  const account = (name: string, crmId: string, domain: string, contact: string, notes = '') =>
    accounts.create(ctx, {
      name,
      crmId,
      emailDomains: [domain],
      contacts: [
        { name: contact, email: `${contact.split(' ')[0]!.toLowerCase()}@${domain}`, role: 'technical' },
        { name: 'Accounts Payable', email: `billing@${domain}`, role: 'billing' },
      ],
      notes,
    });
  const globex = await account('Globex Corporation', 'CRM-1001', 'globex.example', 'Hank Scorpio', 'Strategic account');
  const initech = await account('Initech', 'CRM-1002', 'initech.example', 'Bill Lumbergh');
  const umbrella = await account('Umbrella Health', 'CRM-1003', 'umbrella.example', 'Alice Abernathy', 'Evaluating');
  const stark = await account('Stark Industries', 'CRM-1004', 'stark.example', 'Pepper Potts');
  const wayne = await account('Wayne Enterprises', 'CRM-1005', 'wayne.example', 'Lucius Fox');

  const issue = (input: CreateLicenseInput) => licenses.create(ctx, input);
  const order = (n: number, paymentStatus: 'paid' | 'pending' | 'overdue' = 'paid') => ({
    orderReference: `PO-2026-${String(n).padStart(4, '0')}`,
    paymentStatus,
    purchaseMethod: 'invoice',
  });

  // Active yearly subscription.
  const globexProduction = await issue({
    planId: acmeYearly.id,
    accountId: globex.id,
    name: 'Globex production',
    startsAt: daysFromNow(-100),
    domains: ['analytics.globex.example'],
    billing: order(1),
  });
  // Perpetual, node-locked workstation license.
  await issue({ planId: acmePerpetual.id, accountId: globex.id, name: 'Globex design workstation', billing: order(2) });
  // Expiring soon (ends in 10 days).
  await issue({
    planId: acmeYearly.id,
    accountId: initech.id,
    name: 'Initech analytics',
    startsAt: daysFromNow(-355),
    billing: order(3),
  });
  // Trial (started 3 days ago, 11 days left).
  await issue({ planId: flowTrial.id, accountId: umbrella.id, name: 'Umbrella evaluation', startsAt: daysFromNow(-3) });
  const umbrellaTrial = await issue({ planId: acmeTrial.id, accountId: umbrella.id, name: 'Umbrella analytics trial' });
  // In grace: ended 3 days ago, 7 grace days.
  await issue({
    planId: flowTeam.id,
    accountId: stark.id,
    name: 'Stark support desk',
    startsAt: daysFromNow(-368),
    domains: ['support.stark.example'],
    billing: order(4, 'pending'),
  });
  // Expired: ended 35 days ago, grace (14 days) over.
  await issue({
    planId: acmeYearly.id,
    accountId: wayne.id,
    name: 'Wayne analytics (lapsed)',
    startsAt: daysFromNow(-400),
    billing: order(5),
  });
  // Suspended: payment overdue.
  const overdue = await issue({
    planId: flowTeam.id,
    accountId: initech.id,
    name: 'Initech help desk',
    startsAt: daysFromNow(-60),
    domains: ['help.initech.example'],
    billing: order(6, 'overdue'),
  });
  await actions.suspend(ctx, overdue.id);
  // Pending: starts in two weeks.
  await issue({
    planId: flowTeam.id,
    accountId: wayne.id,
    name: 'Wayne help desk (next term)',
    startsAt: daysFromNow(14),
    domains: ['desk.wayne.example'],
    billing: order(7, 'pending'),
  });

  await seedEntitlementsDemo({ db, clock }, ctx, {
    acmeId: acme.id,
    acmeTrialId: acmeTrial.id,
    acmeYearlyId: acmeYearly.id,
    globexId: globex.id,
    globexLicenseId: globexProduction.id,
    umbrellaTrialLicenseId: umbrellaTrial.id,
  });
}
