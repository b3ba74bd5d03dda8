import type { Command } from 'commander';
import { CreateProductBody, type CreateProductInput } from '../../modules/products/products.schemas.ts';
import type { CliContext } from '../context.ts';
import { line, printJson, printRecord, printTable } from '../io.ts';
import { wholeNumber } from '../options.ts';
import { resolveProductId } from '../resolve.ts';
import { validateInput } from '../validate.ts';

const COLUMNS = ['id', 'code', 'name', 'description', 'createdAt'];

export function registerProductCommands(program: Command, cli: CliContext): void {
  const products = program.command('products').description('Products: the software you license');

  products
    .command('create')
    .description('Create a product')
    .requiredOption('--code <CODE>', 'key prefix: 2–12 upper-case letters/digits starting with a letter, e.g. ACME')
    .requiredOption('--name <name>', 'display name')
    .option('--description <text>', 'description')
    .option('--json', 'print JSON')
    .action(async (opts: { code: string; name: string; description?: string; json?: boolean }) => {
      await cli.withApp(async (kw) => {
        const input = validateInput<CreateProductInput>(CreateProductBody, {
          code: opts.code,
          name: opts.name,
          ...(opts.description !== undefined ? { description: opts.description } : {}),
        });
        const product = await kw.services.products.create(cli.ctx, input);
        if (opts.json) return printJson(cli.io, product);
        line(cli.io, `Created product ${product.code} (${product.id}).`);
      });
    });

  products
    .command('list')
    .description('List products')
    .option('--search <text>', 'search code or name')
    .option('--limit <n>', 'page size (1–500)', wholeNumber(1, 500), 50)
    .option('--cursor <cursor>', 'the next-page cursor printed by the previous page')
    .option('--json', 'print JSON')
    .action(async (opts: { search?: string; limit: number; cursor?: string; json?: boolean }) => {
      await cli.withApp(async (kw) => {
        const page = await kw.services.products.list(cli.ctx, {
          q: opts.search,
          limit: opts.limit,
          cursor: opts.cursor,
        });
        if (opts.json) return printJson(cli.io, page);
        printTable(cli.io, page.data, COLUMNS);
        if (page.nextCursor) line(cli.io, `More: --cursor ${page.nextCursor}`);
      });
    });

  products
    .command('show <id-or-code>')
    .description('Show one product')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      await cli.withApp(async (kw) => {
        const product = await kw.services.products.get(cli.ctx, await resolveProductId(kw, cli.ctx, ref));
        if (opts.json) return printJson(cli.io, product);
        printRecord(cli.io, product);
      });
    });
}
