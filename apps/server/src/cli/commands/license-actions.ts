import type { Command } from 'commander';
import type { Keyward } from '../../app.ts';
import type { LicenseDto } from '../../modules/licenses/licenses.schemas.ts';
import { AppError } from '../../platform/errors.ts';
import type { CliContext } from '../context.ts';
import { line, printJson } from '../io.ts';
import { dateOption, days } from '../options.ts';
import { resolveAccountId, resolveLicenseId } from '../resolve.ts';

type Act = (kw: Keyward, id: string) => Promise<LicenseDto>;

export function registerLicenseActionCommands(program: Command, cli: CliContext): void {
  const licenses = program.commands.find((c) => c.name() === 'licenses')!;

  const action = (name: string, description: string, configure: (c: Command) => Command, act: (o: never) => Act) => {
    configure(licenses.command(`${name} <id-or-key>`).description(description))
      .option('--json', 'print the license as JSON')
      .action(async (ref: string, opts: { json?: boolean }) => {
        await cli.withApp(async (kw) => {
          const license = await act(opts as never)(kw, await resolveLicenseId(kw, cli.ctx, ref));
          if (opts.json) return printJson(cli.io, license);
          line(
            cli.io,
            `${license.key}: ${license.status}, ends ${license.endsAt ?? 'never'}, account ${license.account.name}`,
          );
        });
      });
  };
  const actions = (kw: Keyward) => kw.services.licenseActions;
  const same = (c: Command) => c;

  action(
    'renew',
    "Renew by the plan's duration (from the end date, or from now if it has ended)",
    same,
    () => (kw, id) => actions(kw).renew(cli.ctx, id),
  );
  action(
    'extend',
    'Move the end date by whole days (+7 = one more week, -7 undoes it)',
    (c) => c.requiredOption('--days <n>', 'days to add (negative to shorten)', days),
    (o: { days: number }) => (kw, id) => actions(kw).extend(cli.ctx, id, o.days),
  );
  action(
    'set-expiry',
    'Set the end date (or --never)',
    (c) => c.option('--date <date>', 'new end date, e.g. 2027-06-30', dateOption).option('--never', 'never expires'),
    (o: { date?: Date; never?: boolean }) => (kw, id) => {
      if (!o.date === !o.never)
        throw new AppError('INVALID_ARGUMENT', 400, 'Give exactly one of --date <date> or --never');
      return actions(kw).setExpiry(cli.ctx, id, o.never ? null : o.date!.toISOString());
    },
  );
  action(
    'suspend',
    'Suspend (validation fails until reinstated)',
    same,
    () => (kw, id) => actions(kw).suspend(cli.ctx, id),
  );
  action('reinstate', 'Lift a suspension', same, () => (kw, id) => actions(kw).reinstate(cli.ctx, id));
  action('revoke', 'Revoke for good (final)', same, () => (kw, id) => actions(kw).revoke(cli.ctx, id));
  action(
    'transfer',
    'Move the license to another account',
    (c) => c.requiredOption('--account <id-or-crm-id>', 'the new account'),
    (o: { account: string }) => async (kw, id) =>
      actions(kw).transfer(cli.ctx, id, await resolveAccountId(kw, cli.ctx, o.account)),
  );
  action(
    'reset-machines',
    'Remove every activated machine',
    same,
    () => (kw, id) => actions(kw).resetMachines(cli.ctx, id),
  );

  licenses
    .command('key <id-or-key>')
    .description('Print the key, its exact base64 and a Kubernetes Secret')
    .option('--secret-name <name>', 'name of the Kubernetes Secret', 'keyward-license')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { secretName: string; json?: boolean }) => {
      await cli.withApp(async (kw) => {
        const key = await kw.services.licenses.key(cli.ctx, await resolveLicenseId(kw, cli.ctx, ref), opts.secretName);
        if (opts.json) return printJson(cli.io, key);
        line(cli.io, `Key:     ${key.key}`);
        line(cli.io, `Base64:  ${key.base64}`);
        line(cli.io, `kubectl: ${key.kubectl}`);
        line(cli.io);
        cli.io.write(key.kubernetesSecret);
      });
    });
}
