import { existsSync, readFileSync } from 'node:fs';
import {
  isSignedKey,
  KeywardClient,
  type LicenseFileResult,
  type PublicKeysInput,
  type SignedKeyResult,
  verifyLicenseFile,
  verifySignedKey,
} from '@keyward/sdk';
import type { Command } from 'commander';
import { AppError, badRequest } from '../../platform/errors.ts';
import { type CliContext, CliExit } from '../context.ts';
import { green, line, printJson, red } from '../io.ts';

interface VerifyOptions {
  publicKey?: string;
  licenseKey?: string;
  fingerprint?: string;
  server?: string;
  at?: string;
  json?: boolean;
}

const usage = (message: string) => badRequest('INVALID_ARGUMENT', message);

/** --public-key: a path to the /v1/keys JSON (or a list of keys), or the b64 of a raw 32-byte key. */
function pinnedKeys(value: string): PublicKeysInput {
  if (existsSync(value)) {
    const text = readFileSync(value, 'utf8').trim();
    if (!text.startsWith('{') && !text.startsWith('[')) return [{ publicKey: text }];
    try {
      return JSON.parse(text) as PublicKeysInput;
    } catch {
      throw usage(`${value} is not JSON: expected the /v1/keys response`);
    }
  }
  return [{ publicKey: value.trim() }];
}

/** Where the public keys come from: --public-key, else --server's /v1/keys, else this instance's own keys. */
async function publicKeysFor(cli: CliContext, opts: VerifyOptions): Promise<PublicKeysInput> {
  if (opts.publicKey) return pinnedKeys(opts.publicKey);
  if (opts.server) {
    try {
      return await new KeywardClient({ baseUrl: opts.server }).getPublicKeys();
    } catch (err) {
      throw new AppError(
        'KEYS_UNAVAILABLE',
        502,
        `Could not get the public keys from ${opts.server}: ${(err as Error).message}`,
      );
    }
  }
  return cli.withApp((kw) => kw.services.signing.listKeys());
}

function readSubject(subject: string): { kind: 'file' | 'signed-key'; text: string } {
  if (existsSync(subject)) return { kind: 'file', text: readFileSync(subject, 'utf8') };
  if (isSignedKey(subject)) return { kind: 'signed-key', text: subject };
  throw usage(`No such file: ${subject}`);
}

function report(cli: CliContext, result: LicenseFileResult | SignedKeyResult, json: boolean): void {
  if (json) printJson(cli.io, result);
  if (!result.valid) {
    if (!json) cli.io.writeErr(`${red(cli.io, `INVALID ${result.reason}`)}: ${result.detail}\n`);
    throw new CliExit(1);
  }
  if (json) return;
  if ('payload' in result) {
    const { license, product, account, meta, machine } = result.payload;
    line(cli.io, `${green(cli.io, result.code)}: ${result.detail}`);
    line(cli.io, `  license   ${license.key} (${license.name}), ${product.code}, ${account.name}`);
    line(
      cli.io,
      `  ends      ${license.endsAt ?? 'never'}${license.graceEndsAt ? ` (grace ${license.graceEndsAt})` : ''}`,
    );
    if (machine) line(cli.io, `  machine   ${machine.fingerprint}`);
    line(cli.io, `  file      issued ${meta.issuedAt}, refresh by ${meta.expiresAt}`);
    line(cli.io, `  signed    ${result.alg} by ${result.kid}`);
  } else {
    const { data } = result;
    line(cli.io, `${green(cli.io, 'VALID')}: signed key of license ${data.lid} (${data.prd})`);
    line(
      cli.io,
      `  issued ${data.iat}, ends ${data.exp ?? 'never'}, seats ${data.seats ?? 'unlimited'}; kid ${result.kid}`,
    );
  }
}

export function registerVerifyCommand(program: Command, cli: CliContext): void {
  program
    .command('verify <file>')
    .description('Verify a license file (or a KW1. signed key) offline, as the SDK does; exit 0 valid, 1 invalid')
    .option('--public-key <b64-or-path>', 'the raw public key (b64), or a file with the /v1/keys JSON')
    .option('--server <url>', 'fetch the public keys from this server (GET /v1/keys)')
    .option('--license-key <key>', 'decrypts an encrypted file; compared with a plain one')
    .option('--fingerprint <fp>', "this machine's fingerprint (machine-bound files)")
    .option('--at <iso>', 'check at this time instead of now')
    .option('--json', 'print the verification result as JSON')
    .addHelpText(
      'after',
      `
Without --public-key or --server, the keys of this instance (its database) are used. Reasons when invalid:
MALFORMED, UNSUPPORTED_VERSION, UNKNOWN_KID, BAD_SIGNATURE, KEY_REQUIRED, DECRYPTION_FAILED, WRONG_LICENSE_KEY,
WRONG_FINGERPRINT, CLOCK_ROLLBACK, FILE_EXPIRED, LICENSE_REVOKED, LICENSE_SUSPENDED, NOT_YET_VALID, LICENSE_EXPIRED.`,
    )
    .action(async (file: string, opts: VerifyOptions) => {
      const now = opts.at === undefined ? new Date() : new Date(opts.at);
      if (Number.isNaN(now.getTime())) throw usage(`--at: not a date: ${opts.at}`);
      const subject = readSubject(file);
      const publicKeys = await publicKeysFor(cli, opts);
      let result: LicenseFileResult | SignedKeyResult;
      try {
        result =
          subject.kind === 'file'
            ? await verifyLicenseFile(subject.text, {
                publicKeys,
                now,
                ...(opts.licenseKey === undefined ? {} : { licenseKey: opts.licenseKey }),
                ...(opts.fingerprint === undefined ? {} : { fingerprint: opts.fingerprint }),
              })
            : await verifySignedKey(subject.text, { publicKeys, now });
      } catch (err) {
        if (err instanceof TypeError) throw usage(`Public keys: ${err.message}`);
        throw err;
      }
      report(cli, result, opts.json ?? false);
    });
}
