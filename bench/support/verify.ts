/**
 * Offline verification benchmark (run by bench/run.mjs: `node --import tsx bench/support/verify.ts <input.json>`).
 * Input: {plain, encrypted, licenseKey, keys} — license files checked out from the real server and its /v1/keys.
 * Measures, interleaved in rounds in this one process:
 *   raw     node:crypto Ed25519 verify (sync, KeyObject made once) of the exact signed message bytes — the baseline
 *   subtle  WebCrypto Ed25519 verify (async) of the same bytes — what the SDK's primitive costs on its own
 *   sdk     verifyLicenseFile(plain file) — envelope, kid, signature, payload and license checks (on Node the SDK's
 *           node:crypto fast path: a synchronous verify with a KeyObject cached per key, native base64)
 *   sdkEnc  verifyLicenseFile(encrypted file) — plus SHA-256 and AES-256-GCM decryption
 *   sdkWeb  verifyLicenseFile(plain file) with the Node fast paths off — WebCrypto and the portable decoders, the
 *           path browsers and other runtimes take (measured here on Node)
 * Prints one JSON line: ops/s per round and the medians.
 */
import { createPublicKey, verify as nodeVerify, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { verifyLicenseFile } from '../../packages/sdk/src/index.ts';
import { setNodeFastPaths } from '../../packages/sdk/src/runtime.ts';

interface Input {
  plain: string;
  encrypted: string;
  licenseKey: string;
  keys: { keys: { kid: string; publicKey: string }[] };
  seconds?: number;
  rounds?: number;
}
const input = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Input;
const seconds = input.seconds ?? 2;
const rounds = input.rounds ?? 5;

function envelopeOf(text: string) {
  const body = text
    .split('\n')
    .filter((l) => !l.startsWith('-----'))
    .join('');
  return JSON.parse(Buffer.from(body, 'base64').toString('utf8')) as {
    alg: string;
    kid: string;
    enc: string;
    sig: string;
  };
}
const env = envelopeOf(input.plain);
const entry = input.keys.keys.find((k) => k.kid === env.kid);
if (!entry) throw new Error(`no public key for kid ${env.kid}`);
const raw = Buffer.from(entry.publicKey, 'base64');
const message = Buffer.from(`keyward-license/1/${env.alg}/${env.kid}/${env.enc}`, 'utf8');
const signature = Buffer.from(env.sig, 'base64url');
// SPKI DER prefix for a raw Ed25519 public key (RFC 8410).
const keyObject = createPublicKey({
  key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]),
  format: 'der',
  type: 'spki',
});
const cryptoKey = await webcrypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
const now = new Date();
const options = { publicKeys: input.keys, licenseKey: input.licenseKey, now };

// Sanity: every variant must succeed, or the figures mean nothing.
if (!nodeVerify(null, message, keyObject, signature)) throw new Error('raw verify failed');
if (!(await webcrypto.subtle.verify({ name: 'Ed25519' }, cryptoKey, signature, message))) {
  throw new Error('subtle verify failed');
}
/** verifyLicenseFile on the portable path (WebCrypto, the SDK's own decoders), as off Node. */
async function verifyPortable(text: string) {
  setNodeFastPaths(false);
  try {
    return await verifyLicenseFile(text, options);
  } finally {
    setNodeFastPaths(true);
  }
}
for (const [name, text] of [
  ['plain', input.plain],
  ['encrypted', input.encrypted],
] as const) {
  const r = await verifyLicenseFile(text, options);
  if (!r.valid) throw new Error(`SDK rejected the ${name} file: ${r.reason} ${r.detail}`);
  if (JSON.stringify(await verifyPortable(text)) !== JSON.stringify(r)) {
    throw new Error(`the SDK's Node and portable paths disagree on the ${name} file`);
  }
}

type Bench = { name: string; sync?: () => boolean; async?: () => Promise<unknown> };
const benches: Bench[] = [
  { name: 'raw', sync: () => nodeVerify(null, message, keyObject, signature) },
  { name: 'subtle', async: () => webcrypto.subtle.verify({ name: 'Ed25519' }, cryptoKey, signature, message) },
  { name: 'sdk', async: () => verifyLicenseFile(input.plain, options) },
  { name: 'sdkEnc', async: () => verifyLicenseFile(input.encrypted, options) },
  { name: 'sdkWeb', async: () => verifyPortable(input.plain) },
];

/** Calls one variant back to back (awaiting each async call, as an app would) for `ms`; returns ops/s. */
async function time(b: Bench, ms: number): Promise<number> {
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 50; i++) {
      if (b.sync) b.sync();
      else await (b.async as () => Promise<unknown>)();
    }
    ops += 50;
    elapsed = performance.now() - start;
  }
  return (ops * 1000) / elapsed;
}

for (const b of benches) await time(b, 300); // warm-up (JIT)
const perRound: Record<string, number[]> = Object.fromEntries(benches.map((b) => [b.name, []]));
for (let r = 0; r < rounds; r++) {
  for (const b of benches) perRound[b.name]?.push(Math.round(await time(b, seconds * 1000)));
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const medians = Object.fromEntries(Object.entries(perRound).map(([k, v]) => [k, median(v)]));
const ratioPerRound = (perRound.sdk ?? []).map((v, i) => v / (perRound.raw?.[i] ?? Number.NaN));
process.stdout.write(
  `${JSON.stringify({
    seconds,
    rounds,
    messageBytes: message.length,
    fileChars: input.plain.length,
    perRound,
    medians,
    sdkToRawMedianOfRounds: median(ratioPerRound),
  })}\n`,
);
