import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { line, printJson, printTable } from '../io.ts';

export function registerKeyCommands(program: Command, cli: CliContext): void {
  const keys = program
    .command('keys')
    .description('Ed25519 signing keys (signed responses, license files, signed keys)');

  keys
    .command('list')
    .description('List the public signing keys: the active one and older ones that still verify')
    .option('--json', 'print JSON: { keys: [...] } as served at /v1/keys')
    .action(async (opts: { json?: boolean }) => {
      await cli.withApp(async (kw) => {
        const set = await kw.services.signing.listKeys();
        if (opts.json) return printJson(cli.io, set);
        if (set.keys.length === 0) return line(cli.io, 'No signing key yet: the server makes one when it starts.');
        printTable(cli.io, set.keys, ['kid', 'alg', 'active', 'createdAt', 'publicKey']);
      });
    });

  keys
    .command('rotate')
    .description('Make a new active signing key; the previous one stays published and keeps verifying')
    .addHelpText(
      'after',
      `
Running servers pick the new key up within 30 seconds. The previous key signs the new one (its "endorsement" in
GET /v1/keys), so apps that pinned the previous key can follow the chain. Also the way out when KEYWARD_SECRET was
lost or changed (SIGNING_KEY_UNREADABLE): the new key is encrypted under the current secret (and, the old key being
unreadable, not endorsed). With the embedded database this refuses (DATABASE_IN_USE) while a server runs on the same
data directory: stop it, or use POST /v1/signing-keys/rotate.`,
    )
    .option('--json', 'print JSON: { key, previousKid }')
    .action(async (opts: { json?: boolean }) => {
      await cli.withApp(async (kw) => {
        const result = await kw.services.signing.rotate(cli.ctx);
        if (opts.json) return printJson(cli.io, result);
        line(cli.io, `New active signing key ${result.key.kid} (Ed25519).`);
        if (result.previousKid) line(cli.io, `Retired ${result.previousKid}: still listed for verification.`);
      });
    });
}
