import type { Command } from 'commander';
import { CreatePlanBody, type CreatePlanInput } from '../../modules/plans/plans.schemas.ts';
import type { LicenseType } from '../../platform/db/schema.ts';
import type { CliContext } from '../context.ts';
import { line, printJson, printRecord, printTable } from '../io.ts';
import { list, oneOf, wholeNumber } from '../options.ts';
import { resolvePlanId, resolveProductId } from '../resolve.ts';
import { validateInput } from '../validate.ts';

const TYPES = ['trial', 'subscription', 'perpetual', 'custom'] as const;
const STRATEGIES = ['restrict', 'revoke', 'maintain', 'allow'] as const;

interface CreateOptions {
  product: string;
  name: string;
  type: LicenseType;
  durationDays?: number;
  graceDays?: number;
  maintenanceDays?: number;
  maxMachines?: number;
  nodeLocked?: boolean;
  heartbeatSeconds?: number;
  expirationStrategy?: CreatePlanInput['expirationStrategy'];
  requireFingerprint?: boolean;
  requireDomain?: boolean;
  entitlements?: string[];
  maxOfflineSeconds?: number;
  maxUnboundFiles?: number;
  requireNonce?: boolean;
  json?: boolean;
}

const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export function registerPlanCommands(program: Command, cli: CliContext): void {
  const plans = program.command('plans').description('Plans: license type, duration, grace, seats, entitlements');

  plans
    .command('create')
    .description('Create a plan of a product')
    .requiredOption('--product <code-or-id>', 'the product, e.g. ACME')
    .requiredOption('--name <name>', 'plan name, unique within the product')
    .requiredOption('--type <type>', `license type: ${TYPES.join(', ')}`, oneOf(TYPES))
    .option('--duration-days <n>', 'license duration in days (default: never expires)', wholeNumber(1, 36_500))
    .option('--grace-days <n>', 'days a license keeps working after it ends (default 0)', wholeNumber(0, 3_650))
    .option('--maintenance-days <n>', 'maintenance window in days', wholeNumber(1, 36_500))
    .option('--max-machines <n>', 'seat limit (default: unlimited)', wholeNumber(1, 1_000_000))
    .option('--node-locked', 'exactly one machine (not floating)')
    .option('--heartbeat-seconds <n>', 'machines must heartbeat this often (>= 60)', wholeNumber(60, 31_536_000))
    .option('--expiration-strategy <s>', `after expiry: ${STRATEGIES.join(', ')}`, oneOf(STRATEGIES))
    .option('--require-fingerprint', 'validation must name a machine fingerprint')
    .option('--require-domain', 'validation must name a domain')
    .option('--entitlements <codes>', 'comma-separated entitlement codes', list)
    .option(
      '--max-offline-seconds <n>',
      'longest license file a key holder may check out (default 2592000 = 30 days)',
      wholeNumber(3_600, 315_360_000),
    )
    .option(
      '--max-unbound-files <n>',
      'fingerprint-less files by key valid at once per license; 0 = bind files to machines (default: the seats)',
      wholeNumber(0, 1_000_000),
    )
    .option('--require-nonce', 'signed client calls must send a nonce')
    .option('--json', 'print JSON')
    .action(async (opts: CreateOptions) => {
      await cli.withApp(async (kw) => {
        const productId = await resolveProductId(kw, cli.ctx, opts.product);
        const input = validateInput<CreatePlanInput>(
          CreatePlanBody,
          defined({
            productId,
            name: opts.name,
            licenseType: opts.type,
            durationDays: opts.durationDays,
            graceDays: opts.graceDays,
            maintenanceDays: opts.maintenanceDays,
            maxMachines: opts.maxMachines,
            floating: opts.nodeLocked ? false : undefined,
            heartbeatIntervalSeconds: opts.heartbeatSeconds,
            expirationStrategy: opts.expirationStrategy,
            requireFingerprint: opts.requireFingerprint,
            requireDomain: opts.requireDomain,
            entitlements: opts.entitlements,
            maxOfflineSeconds: opts.maxOfflineSeconds,
            maxUnboundFiles: opts.maxUnboundFiles,
            requireNonce: opts.requireNonce,
          }),
        );
        const plan = await kw.services.plans.create(cli.ctx, input);
        if (opts.json) return printJson(cli.io, plan);
        line(cli.io, `Created plan ${plan.product.code}/${plan.name} (${plan.id}).`);
      });
    });

  plans
    .command('list')
    .description('List plans')
    .option('--product <code-or-id>', 'only this product')
    .option('--type <type>', 'only this license type', oneOf(TYPES))
    .option('--search <text>', 'search the plan name')
    .option('--limit <n>', 'page size (1–500)', wholeNumber(1, 500), 50)
    .option('--cursor <cursor>', 'the next-page cursor printed by the previous page')
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        product?: string;
        type?: LicenseType;
        search?: string;
        limit: number;
        cursor?: string;
        json?: boolean;
      }) => {
        await cli.withApp(async (kw) => {
          const productId = opts.product ? await resolveProductId(kw, cli.ctx, opts.product) : undefined;
          const page = await kw.services.plans.list(cli.ctx, {
            productId,
            licenseType: opts.type,
            q: opts.search,
            limit: opts.limit,
            cursor: opts.cursor,
          });
          if (opts.json) return printJson(cli.io, page);
          printTable(
            cli.io,
            page.data.map((p) => ({
              ...p,
              product: p.product.code,
              seats: p.floating ? p.maxMachines : '1 (node-locked)',
            })),
            ['id', 'product', 'name', 'licenseType', 'durationDays', 'graceDays', 'seats', 'entitlements'],
          );
          if (page.nextCursor) line(cli.io, `More: --cursor ${page.nextCursor}`);
        });
      },
    );

  plans
    .command('show <plan>')
    .description('Show one plan (id or PRODUCTCODE/Plan name)')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      await cli.withApp(async (kw) => {
        const plan = await kw.services.plans.get(cli.ctx, await resolvePlanId(kw, cli.ctx, ref));
        if (opts.json) return printJson(cli.io, plan);
        printRecord(cli.io, { ...plan, product: `${plan.product.code} (${plan.product.name})` });
      });
    });
}
