/**
 * Offline verification benchmark (run by bench/run.mjs: `node --import tsx bench/support/verify.ts <input.json>`).
 * Input: {plain, encrypted, licenseKey, keys} — license files checked out from the real server and its /v1/keys.
 * Measures, interleaved in 25 ms slices within each round, in this one process:
 *   raw     node:crypto Ed25519 verify (sync, KeyObject made once) of the exact signed message bytes — the baseline
 *   subtle  WebCrypto Ed25519 verify (async) of the same bytes — what the SDK's primitive costs on its own
 *   sdk     verifyLicenseFile(plain file) — envelope, kid, signature, payload and license checks (on Node the SDK's
 *           node:crypto fast path: a synchronous verify with a KeyObject cached per key, native base64)
 *   sdkEnc  verifyLicenseFile(encrypted file) — plus SHA-256 and AES-256-GCM decryption
 *   sdkWeb  verifyLicenseFile(plain file) with the Node fast paths off — WebCrypto and the portable decoders, the
 *           path browsers and other runtimes take (measured here on Node)
 * Prints one JSON line: ops/s per round and the medians (wall time), the same per CPU second, and the best slice.
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
    v: number;
    alg: string;
    kid: string;
    bind?: string;
    enc: string;
    sig: string;
  };
}
const env = envelopeOf(input.plain);
const entry = input.keys.keys.find((k) => k.kid === env.kid);
if (!entry) throw new Error(`no public key for kid ${env.kid}`);
const raw = Buffer.from(entry.publicKey, 'base64');
// The signed message of the envelope's version (docs/license-files.md): version 2 binds `bind` too.
const message = Buffer.from(
  env.v === 1
    ? `keyward-license/1/${env.alg}/${env.kid}/${env.enc}`
    : `keyward-license/2/${env.alg}/${env.kid}/${env.bind}/${env.enc}`,
  'utf8',
);
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

/** One slice: calls one variant back to back (awaiting each async call, as an app would) for `ms`. */
async function slice(b: Bench, ms: number): Promise<{ ops: number; wallMs: number; cpuMs: number }> {
  let ops = 0;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 10; i++) {
      if (b.sync) b.sync();
      else await (b.async as () => Promise<unknown>)();
    }
    ops += 10;
    elapsed = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpu0);
  return { ops, wallMs: elapsed, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/**
 * A round interleaves the variants in 25 ms slices (raw, subtle, sdk, …, raw, subtle, …) until each had `ms`, so
 * all of them see the same machine load — on a shared machine that drifts within seconds. Per variant: ops/s of wall
 * time, ops per CPU second of this process (all its threads), and the best slice (µs/op: the quiet-machine figure).
 */
async function round(ms: number) {
  const acc = benches.map(() => ({ ops: 0, wallMs: 0, cpuMs: 0, bestUs: Number.POSITIVE_INFINITY }));
  while ((acc[0] as { wallMs: number }).wallMs < ms) {
    for (const [i, b] of benches.entries()) {
      const r = await slice(b, 25);
      const a = acc[i] as (typeof acc)[number];
      a.ops += r.ops;
      a.wallMs += r.wallMs;
      a.cpuMs += r.cpuMs;
      a.bestUs = Math.min(a.bestUs, (r.wallMs * 1000) / r.ops);
    }
  }
  return acc.map((a) => ({
    wall: (a.ops * 1000) / a.wallMs,
    cpu: (a.ops * 1000) / a.cpuMs,
    bestUs: a.bestUs,
  }));
}

await round(300); // warm-up (JIT)
const names = benches.map((b) => b.name);
const perRound: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
const perRoundCpu: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
const best: Record<string, number> = Object.fromEntries(names.map((n) => [n, Number.POSITIVE_INFINITY]));
for (let r = 0; r < rounds; r++) {
  const res = await round(seconds * 1000);
  res.forEach((x, i) => {
    const n = names[i] as string;
    perRound[n]?.push(Math.round(x.wall));
    perRoundCpu[n]?.push(Math.round(x.cpu));
    best[n] = Math.min(best[n] as number, x.bestUs);
  });
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const mediansOf = (per: Record<string, number[]>) =>
  Object.fromEntries(Object.entries(per).map(([k, v]) => [k, median(v)]));
const ratioOf = (per: Record<string, number[]>, name: string) =>
  median((per[name] ?? []).map((v, i) => v / (per.raw?.[i] ?? Number.NaN)));
const round3 = (x: number) => Math.round(x * 1000) / 1000;
process.stdout.write(
  `${JSON.stringify({
    seconds,
    rounds,
    method: 'interleaved 25 ms slices per round',
    messageBytes: message.length,
    fileChars: input.plain.length,
    perRound,
    medians: mediansOf(perRound),
    sdkToRawMedianOfRounds: ratioOf(perRound, 'sdk'),
    cpu: {
      perRound: perRoundCpu,
      medians: mediansOf(perRoundCpu),
      sdkToRawMedianOfRounds: ratioOf(perRoundCpu, 'sdk'),
    },
    bestMicroseconds: Object.fromEntries(Object.entries(best).map(([k, v]) => [k, round3(v)])),
    sdkToRawBest: round3((best.raw as number) / (best.sdk as number)),
  })}\n`,
);
