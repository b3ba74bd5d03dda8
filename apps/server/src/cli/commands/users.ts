import type { Command } from 'commander';
import { CreateUserBody, type CreateUserInput } from '../../modules/users/users.schemas.ts';
import type { CliContext } from '../context.ts';
import { bold, line, printJson, printTable, yellow } from '../io.ts';
import { oneOf } from '../options.ts';
import { allPages } from '../resolve.ts';
import { validateInput } from '../validate.ts';

const ROLES = ['admin', 'account_manager', 'support', 'read_only'] as const;

export function registerUserCommands(program: Command, cli: CliContext): void {
  const users = program.command('users').description('Dashboard users (staff sign-in) and their roles');

  users
    .command('create')
    .description('Create a dashboard user; without --password they get a link (mail outbox) to set one')
    .requiredOption('--email <email>', 'sign-in email (unique, case-insensitive)')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--role <role>', 'admin, account_manager, support or read_only', oneOf(ROLES))
    .option('--password <password>', 'at least 12 characters (beware: it lands in your shell history)')
    .option('--json', 'print JSON: { user, link }')
    .action(
      async (opts: {
        email: string;
        name: string;
        role: CreateUserInput['role'];
        password?: string;
        json?: boolean;
      }) => {
        await cli.withApp(async (kw) => {
          const input = validateInput<CreateUserInput>(CreateUserBody, {
            email: opts.email,
            name: opts.name,
            role: opts.role,
            ...(opts.password !== undefined ? { password: opts.password } : {}),
          });
          const created = await kw.services.users.create(cli.ctx, input);
          if (opts.json) return printJson(cli.io, created);
          const { user } = created;
          line(cli.io, `Created ${user.role} user ${user.email} (${user.id}).`);
          if (created.link) {
            line(cli.io, yellow(cli.io, bold(cli.io, 'Link to set the password (works once, for one hour):')));
            line(cli.io, created.link);
          }
        });
      },
    );

  users
    .command('list')
    .description('List dashboard users')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await cli.withApp(async (kw) => {
        const rows = [];
        for await (const page of allPages((cursor) => kw.services.users.list(cli.ctx, { limit: 500, cursor }))) {
          rows.push(...page);
        }
        if (opts.json) return printJson(cli.io, rows);
        printTable(cli.io, rows, ['id', 'email', 'name', 'role', 'disabled', 'lastSignInAt', 'createdAt']);
      });
    });
}
