import type { Command } from 'commander';
import { CreateTokenBody, type CreateTokenInput } from '../../modules/tokens/tokens.schemas.ts';
import type { CliContext } from '../context.ts';
import { bold, line, printJson, printTable, yellow } from '../io.ts';
import { dateOption, oneOf } from '../options.ts';
import { allPages, resolveProductId } from '../resolve.ts';
import { validateInput } from '../validate.ts';

const ROLES = ['admin', 'read-only', 'product', 'client'] as const;

export function registerTokenCommands(program: Command, cli: CliContext): void {
  const tokens = program.command('tokens').description('Admin API tokens (secrets are shown once)');

  tokens
    .command('create')
    .description('Create an API token and print its secret once')
    .requiredOption('--name <name>', 'what the token is for, e.g. "CI deploys"')
    .requiredOption('--role <role>', `admin, read-only, product or client (Unleash SDKs)`, oneOf(ROLES))
    .option(
      '--product <code-or-id>',
      'the product a product or client token is confined to (required for --role product and --role client)',
    )
    .option('--expires <date>', 'expiry date, e.g. 2027-01-31 (default: never)', dateOption)
    .option('--json', 'print JSON: { token, secret }')
    .action(
      async (opts: {
        name: string;
        role: CreateTokenInput['role'];
        product?: string;
        expires?: Date;
        json?: boolean;
      }) => {
        await cli.withApp(async (kw) => {
          const productId = opts.product ? await resolveProductId(kw, cli.ctx, opts.product) : undefined;
          const input = validateInput<CreateTokenInput>(CreateTokenBody, {
            name: opts.name,
            role: opts.role,
            ...(productId ? { productId } : {}),
            ...(opts.expires ? { expiresAt: opts.expires.toISOString() } : {}),
          });
          const created = await kw.services.tokens.create(cli.ctx, input);
          if (opts.json) return printJson(cli.io, created);
          line(cli.io, `Created ${created.token.role} token "${created.token.name}" (${created.token.id}).`);
          line(cli.io, yellow(cli.io, bold(cli.io, 'Secret — shown once; store it now:')));
          line(cli.io, created.secret);
        });
      },
    );

  tokens
    .command('list')
    .description('List API tokens (never their secrets)')
    .option('--active', 'leave out revoked tokens')
    .option('--json', 'print JSON')
    .action(async (opts: { active?: boolean; json?: boolean }) => {
      await cli.withApp(async (kw) => {
        const rows = [];
        for await (const page of allPages((cursor) =>
          kw.services.tokens.list(cli.ctx, { limit: 500, cursor, includeRevoked: !opts.active }),
        )) {
          rows.push(...page);
        }
        if (opts.json) return printJson(cli.io, rows);
        printTable(cli.io, rows, [
          'id',
          'name',
          'role',
          'productId',
          'prefix',
          'createdAt',
          'expiresAt',
          'lastUsedAt',
          'revokedAt',
        ]);
      });
    });
}
