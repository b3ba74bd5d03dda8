import { type Command, InvalidArgumentError } from 'commander';
import type { Keyward } from '../../app.ts';
import type { RequestContext } from '../../platform/auth/actor.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { CliContext } from '../context.ts';
import { bold, dim, green, line, printJson, printTable, red, yellow } from '../io.ts';
import { allPages, resolveAccountId, resolveLicenseId, resolveProductId } from '../resolve.ts';

interface ExplainOptions {
  flag?: string;
  property?: string;
  license?: string;
  account?: string;
  product?: string;
  context: Record<string, string>;
  user?: string;
  json?: boolean;
}

/** `--context plan=Business --context region=eu` → { plan: 'Business', region: 'eu' }. */
function contextPair(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq < 1) throw new InvalidArgumentError('expected name=value');
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

const OUTCOME: Record<string, (kw: CliContext, s: string) => string> = {
  pass: (c, s) => green(c.io, s),
  decide: (c, s) => bold(c.io, s),
  decided: (c, s) => bold(c.io, s),
  fail: (c, s) => red(c.io, s),
  skip: (c, s) => dim(c.io, s),
  shadowed: (c, s) => dim(c.io, s),
  expired: (c, s) => yellow(c.io, s),
  absent: (c, s) => dim(c.io, s),
};

const paintOutcome = (cli: CliContext, outcome: string) =>
  (OUTCOME[outcome] ?? ((_c: CliContext, s: string) => s))(cli, outcome.padEnd(8));

async function flagIdOf(kw: Keyward, ctx: RequestContext, productId: string, key: string): Promise<string> {
  for await (const page of allPages((cursor) =>
    kw.services.flags.list(ctx, { productId, q: key, limit: 200, cursor }),
  )) {
    const hit = page.find((f) => f.key === key);
    if (hit) return hit.id;
  }
  throw notFound('FLAG_NOT_FOUND', `Flag ${key}`);
}

async function propertyIdOf(kw: Keyward, ctx: RequestContext, productId: string, key: string): Promise<string> {
  for await (const page of allPages((cursor) =>
    kw.services.properties.list(ctx, { productId, q: key, limit: 200, cursor }),
  )) {
    const hit = page.find((p) => p.key === key);
    if (hit) return hit.id;
  }
  throw notFound('PROPERTY_NOT_FOUND', `Property ${key}`);
}

export function registerExplainCommands(program: Command, cli: CliContext): void {
  program
    .command('entitlements <id-or-key>')
    .description('What a license may do now: trial dates, every property with its value and source, usage, flags')
    .option('--json', 'print the full state as JSON (the answer of GET /v1/licenses/{id}/entitlements)')
    .action(async (ref: string, opts: { json?: boolean }) => {
      await cli.withApp(async (kw) => {
        const id = await resolveLicenseId(kw, cli.ctx, ref);
        const state = await kw.services.entitlements.forLicense(cli.ctx, id);
        if (opts.json) return printJson(cli.io, state);
        const { license, trial } = state;
        line(cli.io, `${bold(cli.io, license.account.name)} — ${license.product.code} / ${license.plan.name}`);
        line(cli.io, `status ${license.status}, ${license.type}${trial.isTrial ? ', trial' : ''}`);
        if (trial.endsAt) {
          const soft = trial.softExpiry ? 'soft expiry' : 'hard expiry';
          line(cli.io, `ends ${trial.endsAt} (${trial.daysLeft} days left, ${soft}; phase ${trial.phase})`);
        }
        line(cli.io);
        printTable(
          cli.io,
          state.properties.map((p) => ({
            property: p.key,
            value: JSON.stringify(p.value) + (p.unit ? ` ${p.unit}` : ''),
            source: p.source.kind + (p.source.planName ? ` (${p.source.planName})` : ''),
            usage: p.usage ? `${p.usage.used}/${p.usage.limit ?? '∞'} ${p.usage.status}` : '',
          })),
          ['property', 'value', 'source', 'usage'],
        );
        line(cli.io);
        printTable(
          cli.io,
          state.flags.map((f) => ({ flag: f.key, enabled: f.enabled ? 'on' : 'off', reason: f.reason })),
          ['flag', 'enabled', 'reason'],
        );
      });
    });

  program
    .command('explain')
    .description('Why a license or account gets (or does not get) a flag or a property value: the decision trace')
    .option('--flag <key>', 'explain this feature flag')
    .option('--property <key>', 'explain this property (limit, switch, option, config)')
    .option('--license <id-or-key>', 'for this license')
    .option('--account <id-or-crm-id>', 'for this account (with --product)')
    .option('--product <id-or-code>', "the product of the flag or property (an account's are per product)")
    .option('--user <id>', 'flag context userId (stickiness, userWithId)')
    .option('--context <name=value>', 'flag context property; repeat for more', contextPair, {})
    .option('--json', 'print the explanation as JSON')
    .addHelpText(
      'after',
      `
Examples:
  keyward explain --license ACME-XXXXXX-… --property api_calls
  keyward explain --license ACME-XXXXXX-… --flag new-editor --context region=eu
  keyward explain --account CRM-1042 --product ACME --flag new-editor

Each step says which override, plan value, toggle, strategy or constraint decided, and why the earlier ones did
not. The same trace is shown by the dashboard's "Why?" and returned by the API (docs/entitlements.md,
docs/feature-flags.md).`,
    )
    .action(async (opts: ExplainOptions, command: Command) => {
      // A wrong command line exits with 2, like commander's own errors.
      if ((opts.flag === undefined) === (opts.property === undefined)) {
        command.error('error: give exactly one of --flag and --property', { exitCode: 2 });
      }
      if ((opts.license === undefined) === (opts.account === undefined)) {
        command.error('error: give exactly one of --license and --account', { exitCode: 2 });
      }
      if (opts.account !== undefined && opts.product === undefined) {
        command.error('error: --account needs --product (flags and properties belong to a product)', { exitCode: 2 });
      }
      await cli.withApp(async (kw) => {
        const ctx = cli.ctx;
        const licenseId = opts.license ? await resolveLicenseId(kw, ctx, opts.license) : undefined;
        const accountId = opts.account ? await resolveAccountId(kw, ctx, opts.account) : undefined;
        let productId: string;
        if (opts.product) productId = await resolveProductId(kw, ctx, opts.product);
        else if (licenseId) productId = (await kw.services.licenses.get(ctx, licenseId)).product.id;
        else throw new AppError('USAGE', 400, '--account needs --product');

        if (opts.property) {
          const propertyId = await propertyIdOf(kw, ctx, productId, opts.property);
          const result = await kw.services.entitlements.explain(ctx, propertyId, { licenseId, accountId });
          if (opts.json) return printJson(cli.io, result);
          line(
            cli.io,
            `${bold(cli.io, result.property.key)} = ${JSON.stringify(result.value)} (${result.source.kind})`,
          );
          for (const step of result.trace) line(cli.io, `  ${paintOutcome(cli, step.outcome)} ${step.detail}`);
          if (result.usage) {
            const u = result.usage;
            line(cli.io, `  usage    ${u.used} of ${u.limit ?? 'unlimited'} (${u.status}, ${u.enforcement} limit)`);
          }
          if (result.note) line(cli.io, dim(cli.io, result.note));
          return;
        }
        const flagId = await flagIdOf(kw, ctx, productId, opts.flag as string);
        const properties = Object.keys(opts.context).length > 0 ? opts.context : undefined;
        const context = opts.user || properties ? { userId: opts.user, properties } : undefined;
        const result = await kw.services.customerFlags.explain(ctx, flagId, { licenseId, accountId, context });
        if (opts.json) return printJson(cli.io, result);
        const e = result.explanation;
        const variant = e.variant.enabled ? `, variant ${e.variant.name}` : '';
        line(cli.io, `${bold(cli.io, result.flag.key)} is ${e.enabled ? 'ON' : 'OFF'} (${e.reason}${variant})`);
        for (const step of e.steps)
          line(cli.io, `  ${paintOutcome(cli, step.outcome)} ${step.subject}: ${step.detail}`);
      });
    });
}
