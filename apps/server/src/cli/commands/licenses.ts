import type { Command } from 'commander';
import { LICENSE_STATUSES } from '../../modules/licenses/license-status.ts';
import {
  CreateLicenseBody,
  type CreateLicenseInput,
  type LicenseDto,
} from '../../modules/licenses/licenses.schemas.ts';
import type { CliContext } from '../context.ts';
import { line, printJson, printRecord, printTable } from '../io.ts';
import { dateOption, list, wholeNumber } from '../options.ts';
import { resolveAccountId, resolveLicenseId, resolvePlanId, resolveProductId } from '../resolve.ts';
import { validateInput } from '../validate.ts';

export const LICENSE_COLUMNS = ['id', 'key', 'product', 'plan', 'account', 'status', 'endsAt', 'machines'];

/** The flat row of the licenses table. */
export const licenseRow = (l: LicenseDto) => ({
  ...l,
  product: l.product.code,
  plan: l.plan.name,
  account: l.account.name,
  machines: `${l.machineCount}/${l.maxMachines ?? '∞'}`,
});

interface CreateOptions {
  plan: string;
  account: string;
  name?: string;
  key?: string;
  starts?: Date;
  ends?: Date;
  noExpiry?: boolean;
  maxMachines?: number;
  domains?: string[];
  entitlements?: string[];
  paymentStatus?: string;
  orderReference?: string;
  invoiceUrl?: string;
  purchaseMethod?: string;
  notes?: string;
  json?: boolean;
}

export function registerLicenseCommands(program: Command, cli: CliContext): void {
  const licenses = program
    .command('licenses')
    .description('Issue, list and show licenses; renew, extend, suspend, revoke, transfer; print keys');

  licenses
    .command('create')
    .description('Issue a license; fields you leave out come from the plan')
    .requiredOption('--plan <plan>', 'plan id or PRODUCTCODE/Plan name, e.g. "ACME/Yearly"')
    .requiredOption('--account <id-or-crm-id>', 'the customer account')
    .option('--name <name>', 'license name')
    .option('--key <key>', 'an existing (imported) key; default: a new key is generated')
    .option('--starts <date>', 'start date (default now)', dateOption)
    .option('--ends <date>', "end date (default: start + the plan's duration)", dateOption)
    .option('--no-expiry', 'never ends, whatever the plan says')
    .option('--max-machines <n>', "seat limit (default: the plan's)", wholeNumber(1, 1_000_000))
    .option('--domains <domains>', 'comma-separated domains the license may be used on', list)
    .option('--entitlements <codes>', "comma-separated entitlement codes on top of the plan's", list)
    .option('--payment-status <s>', 'paid, pending, overdue, refunded or free')
    .option('--order-reference <ref>', 'order or PO number')
    .option('--invoice-url <url>', 'link to the invoice')
    .option('--purchase-method <m>', 'e.g. card, invoice, reseller')
    .option('--notes <text>', 'free-text notes')
    .option('--json', 'print JSON')
    .action(async (opts: CreateOptions) => {
      await cli.withApp(async (kw) => {
        const billing = Object.fromEntries(
          Object.entries({
            paymentStatus: opts.paymentStatus,
            orderReference: opts.orderReference,
            invoiceUrl: opts.invoiceUrl,
            purchaseMethod: opts.purchaseMethod,
          }).filter(([, v]) => v !== undefined),
        );
        const raw: Record<string, unknown> = {
          planId: await resolvePlanId(kw, cli.ctx, opts.plan),
          accountId: await resolveAccountId(kw, cli.ctx, opts.account),
          name: opts.name,
          key: opts.key,
          startsAt: opts.starts?.toISOString(),
          // commander turns --no-expiry into expiry: false; `noExpiry` is never set.
          endsAt: (opts as { expiry?: boolean }).expiry === false ? null : opts.ends?.toISOString(),
          maxMachines: opts.maxMachines,
          domains: opts.domains,
          entitlements: opts.entitlements,
          billing: Object.keys(billing).length > 0 ? billing : undefined,
          notes: opts.notes,
        };
        for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
        const license = await kw.services.licenses.create(
          cli.ctx,
          validateInput<CreateLicenseInput>(CreateLicenseBody, raw),
        );
        if (opts.json) return printJson(cli.io, license);
        line(
          cli.io,
          `Issued license ${license.key} (${license.id}), ${license.status}, ends ${license.endsAt ?? 'never'}.`,
        );
      });
    });

  licenses
    .command('list')
    .description('List licenses, newest first')
    .option('--status <statuses>', `comma-separated: ${LICENSE_STATUSES.join(', ')}`)
    .option('--product <code-or-id>', 'only this product')
    .option('--account <id-or-crm-id>', 'only this account')
    .option('--search <text>', 'key (or prefix), name, account name, domain or CRM id')
    .option('--expires-before <date>', 'end date before', dateOption)
    .option('--limit <n>', 'page size (1–500)', wholeNumber(1, 500), 50)
    .option('--cursor <cursor>', 'the next-page cursor printed by the previous page')
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        status?: string;
        product?: string;
        account?: string;
        search?: string;
        expiresBefore?: Date;
        limit: number;
        cursor?: string;
        json?: boolean;
      }) => {
        await cli.withApp(async (kw) => {
          const page = await kw.services.licenses.list(cli.ctx, {
            status: opts.status,
            productId: opts.product ? await resolveProductId(kw, cli.ctx, opts.product) : undefined,
            accountId: opts.account ? await resolveAccountId(kw, cli.ctx, opts.account) : undefined,
            q: opts.search,
            expiresBefore: opts.expiresBefore?.toISOString(),
            limit: opts.limit,
            cursor: opts.cursor,
          });
          if (opts.json) return printJson(cli.io, page);
          printTable(cli.io, page.data.map(licenseRow), LICENSE_COLUMNS);
          if (page.nextCursor) line(cli.io, `More: --cursor ${page.nextCursor}`);
        });
      },
    );

  licenses
    .command('show <id-or-key>')
    .description('Show one license')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      await cli.withApp(async (kw) => {
        const license = await kw.services.licenses.get(cli.ctx, await resolveLicenseId(kw, cli.ctx, ref));
        if (opts.json) return printJson(cli.io, license);
        printRecord(cli.io, {
          ...license,
          product: `${license.product.code} (${license.product.name})`,
          plan: license.plan.name,
          account: `${license.account.name}${license.account.crmId ? ` [${license.account.crmId}]` : ''}`,
        });
      });
    });
}
