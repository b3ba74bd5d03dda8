import { type Command, InvalidArgumentError } from 'commander';
import { CreateAccountBody, type CreateAccountInput } from '../../modules/accounts/accounts.schemas.ts';
import type { CliContext } from '../context.ts';
import { line, printJson, printRecord, printTable } from '../io.ts';
import { list, wholeNumber } from '../options.ts';
import { resolveAccountId } from '../resolve.ts';
import { validateInput } from '../validate.ts';

interface ContactInput {
  name: string;
  email: string;
  role?: string;
}

/** `Jane Doe <jane@acme.com>` or `Jane Doe <jane@acme.com> (billing)`; repeatable. */
function contact(raw: string, previous: ContactInput[] = []): ContactInput[] {
  const m = /^\s*(.+?)\s*<([^<>\s]+)>\s*(?:\((.*)\))?\s*$/.exec(raw);
  if (!m) throw new InvalidArgumentError('must look like "Jane Doe <jane@acme.com>" or "… (role)"');
  return [...previous, { name: m[1]!, email: m[2]!, ...(m[3] ? { role: m[3] } : {}) }];
}

export function registerAccountCommands(program: Command, cli: CliContext): void {
  const accounts = program.command('accounts').description('Customer accounts: companies, contacts, CRM ids');

  accounts
    .command('create')
    .description('Create an account')
    .requiredOption('--name <name>', 'company name')
    .option('--crm-id <id>', 'id of the account in your CRM (unique)')
    .option('--email-domains <domains>', 'comma-separated email domains, e.g. acme.com,acme.io', list)
    .option('--contact <contact>', 'a contact: "Jane Doe <jane@acme.com> (billing)"; repeat for more', contact)
    .option('--notes <text>', 'free-text notes')
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        name: string;
        crmId?: string;
        emailDomains?: string[];
        contact?: ContactInput[];
        notes?: string;
        json?: boolean;
      }) => {
        await cli.withApp(async (kw) => {
          const input = validateInput<CreateAccountInput>(CreateAccountBody, {
            name: opts.name,
            ...(opts.crmId !== undefined ? { crmId: opts.crmId } : {}),
            ...(opts.emailDomains ? { emailDomains: opts.emailDomains } : {}),
            ...(opts.contact ? { contacts: opts.contact } : {}),
            ...(opts.notes !== undefined ? { notes: opts.notes } : {}),
          });
          const account = await kw.services.accounts.create(cli.ctx, input);
          if (opts.json) return printJson(cli.io, account);
          line(cli.io, `Created account ${account.name} (${account.id}).`);
        });
      },
    );

  accounts
    .command('list')
    .description('List accounts')
    .option('--search <text>', 'search name, email domains, CRM id and contact emails')
    .option('--limit <n>', 'page size (1–500)', wholeNumber(1, 500), 50)
    .option('--cursor <cursor>', 'the next-page cursor printed by the previous page')
    .option('--json', 'print JSON')
    .action(async (opts: { search?: string; limit: number; cursor?: string; json?: boolean }) => {
      await cli.withApp(async (kw) => {
        const page = await kw.services.accounts.list(cli.ctx, {
          q: opts.search,
          limit: opts.limit,
          cursor: opts.cursor,
        });
        if (opts.json) return printJson(cli.io, page);
        printTable(
          cli.io,
          page.data.map((a) => ({ ...a, contacts: a.contacts.map((c) => c.email) })),
          ['id', 'name', 'crmId', 'emailDomains', 'contacts', 'licenseCount'],
        );
        if (page.nextCursor) line(cli.io, `More: --cursor ${page.nextCursor}`);
      });
    });

  accounts
    .command('show <id-or-crm-id>')
    .description('Show one account')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      await cli.withApp(async (kw) => {
        const account = await kw.services.accounts.get(cli.ctx, await resolveAccountId(kw, cli.ctx, ref));
        if (opts.json) return printJson(cli.io, account);
        printRecord(cli.io, {
          ...account,
          contacts: account.contacts.map((c) => `${c.name} <${c.email}>${c.role ? ` (${c.role})` : ''}`),
        });
      });
    });
}
