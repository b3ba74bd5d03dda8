import fs from 'node:fs';
import type { Command } from 'commander';
import { CheckOutBody, type CheckOutInput } from '../../modules/license-files/license-files.schemas.ts';
import { DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS, MIN_TTL_SECONDS } from '../../modules/license-files/license-payload.ts';
import type { CliContext } from '../context.ts';
import { line } from '../io.ts';
import { wholeNumber } from '../options.ts';
import { resolveLicenseId } from '../resolve.ts';
import { validateInput } from '../validate.ts';

interface LicenseFileOptions {
  ttl?: number;
  encrypt?: boolean;
  fingerprint?: string;
  out?: string;
}

export function registerLicenseFileCommand(program: Command, cli: CliContext): void {
  program
    .command('license-file <id-or-key>')
    .description('Check out a signed license file (offline licensing) and print it, or write it with --out')
    .option(
      '--ttl <seconds>',
      `how long the file is valid (default ${DEFAULT_TTL_SECONDS} = 30 days, or the plan's maxOfflineSeconds)`,
      wholeNumber(MIN_TTL_SECONDS, MAX_TTL_SECONDS),
    )
    .option('--encrypt', 'encrypt the payload with a key derived from the license key (and the fingerprint)')
    .option('--fingerprint <fp>', 'bind the file to this activated machine')
    .option('--out <file>', 'write the file here instead of printing it')
    .addHelpText(
      'after',
      `
The file is signed with the instance's active Ed25519 key (GET /v1/keys); see docs/license-files.md for the
format and how to verify it. The default TTL is 30 days or the plan's maxOfflineSeconds if lower; a longer --ttl
is allowed here (not for check-out by key) and marked in the audit log. Encrypted files of imported keys use
PBKDF2 (keys under 16 characters cannot be encrypted).`,
    )
    .action(async (ref: string, opts: LicenseFileOptions) => {
      await cli.withApp(async (kw) => {
        const raw: Record<string, unknown> = {
          ttlSeconds: opts.ttl,
          encrypt: opts.encrypt,
          fingerprint: opts.fingerprint,
        };
        for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
        const id = await resolveLicenseId(kw, cli.ctx, ref);
        const file = await kw.services.licenseFiles.checkOut(
          cli.ctx,
          id,
          validateInput<CheckOutInput>(CheckOutBody, raw),
        );
        if (!opts.out) return cli.io.write(file.certificate);
        fs.writeFileSync(opts.out, file.certificate);
        line(
          cli.io,
          `Wrote the license file to ${opts.out} (${file.alg}, key ${file.kid}, valid until ${file.expiresAt}).`,
        );
      });
    });
}
