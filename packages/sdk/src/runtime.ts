/**
 * Node fast paths, found at run time — no static `node:` import, so bundlers for browsers see nothing to resolve.
 * When `process.versions.node` is set: node:crypto (synchronous Ed25519 verify, SHA-256, AES-256-GCM) and Buffer
 * (native base64). Everywhere else (browsers, workers, edge runtimes), when node:crypto cannot be loaded or fails its
 * self-test, the SDK uses WebCrypto and its own decoders. Results are identical either way: same bytes, same answers.
 */
/** Bytes backed by a plain ArrayBuffer (as in encoding.ts, which imports this module). */
type Bytes = Uint8Array<ArrayBuffer>;

/** The subset of Node's Buffer the decoders use (typed here, so the SDK needs no @types/node). */
export interface NodeBuffer {
  from(text: string, encoding: 'base64' | 'base64url'): Bytes & { toString(encoding?: string): string };
}

interface NodeDecipher {
  setAuthTag(tag: Bytes): unknown;
  update(data: Bytes): Uint8Array;
  final(): Uint8Array;
}

/** The subset of node:crypto the SDK uses. Key objects stay opaque. */
export interface NodeCrypto {
  verify(algorithm: null, data: Bytes, key: object, signature: Bytes): boolean;
  createPublicKey(input: { key: { kty: 'OKP'; crv: 'Ed25519'; x: string }; format: 'jwk' }): object;
  KeyObject: { from(key: CryptoKey): object };
  createHash(algorithm: 'sha256'): { update(data: Bytes): { digest(): Uint8Array } };
  createDecipheriv(algorithm: 'aes-256-gcm', key: Bytes, iv: Bytes, options: { authTagLength: 16 }): NodeDecipher;
}

interface NodeProcess {
  versions?: { node?: unknown };
  getBuiltinModule?: (id: string) => unknown;
}

/** The global `process` when it is Node's (or a runtime's that says it is Node-compatible); never throws. */
export function nodeProcess(global: object = globalThis): NodeProcess | null {
  try {
    const proc = (global as { process?: NodeProcess }).process;
    return typeof proc?.versions?.node === 'string' ? proc : null;
  } catch {
    return null;
  }
}

let enabled = true;

/** Test seam: `false` makes the SDK use WebCrypto and its own decoders even on Node. Not part of the public API. */
export function setNodeFastPaths(on: boolean): void {
  enabled = on;
}

/** Node's Buffer, or null (off Node, or fast paths switched off). */
export function nodeBuffer(): NodeBuffer | null {
  if (!enabled || !nodeProcess()) return null;
  const buffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;
  return typeof buffer?.from === 'function' ? buffer : null;
}

// RFC 8032 section 7.1, test 2: key, message 0x72, signature.
const VECTOR = {
  x: 'PUAXw-hDiVqStwqnTRt-vJyYLM8uxJaMwM1V8Sr0Zgw',
  message: [0x72],
  sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
};

/** A loaded node:crypto passes the RFC 8032 vector (and rejects it tampered), or it is not used. */
function selfTest(c: NodeCrypto): boolean {
  try {
    const key = c.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: VECTOR.x }, format: 'jwk' });
    const sig = new Uint8Array(64);
    for (let i = 0; i < 64; i++) sig[i] = Number.parseInt(VECTOR.sig.slice(2 * i, 2 * i + 2), 16);
    const good = c.verify(null, new Uint8Array(VECTOR.message), key, sig);
    const bad = c.verify(null, new Uint8Array([0x73]), key, sig);
    return good === true && bad === false;
  } catch {
    return false;
  }
}

const usable = (mod: unknown): NodeCrypto | null => {
  const c = mod as Partial<NodeCrypto> | null | undefined;
  const fns = [c?.verify, c?.createPublicKey, c?.KeyObject?.from, c?.createHash, c?.createDecipheriv];
  return fns.every((f) => typeof f === 'function') && selfTest(c as NodeCrypto) ? (c as NodeCrypto) : null;
};

let loaded: NodeCrypto | null | undefined; // undefined: not looked for yet
let loading: Promise<NodeCrypto | null> | undefined;

/**
 * node:crypto on Node, null elsewhere. Synchronous through `process.getBuiltinModule` (Node ≥ 20.16); on older
 * Node one dynamic import, hidden from bundlers (a variable specifier and their ignore comments), done once.
 */
export function nodeCrypto(): NodeCrypto | null | Promise<NodeCrypto | null> {
  if (!enabled) return null;
  if (loaded !== undefined) return loaded;
  const proc = nodeProcess();
  if (!proc) {
    loaded = null;
  } else if (typeof proc.getBuiltinModule === 'function') {
    let mod: unknown = null;
    try {
      mod = proc.getBuiltinModule('node:crypto');
    } catch {}
    loaded = usable(mod);
  } else {
    loading ??= importNodeCrypto();
    return loading;
  }
  return loaded;
}

async function importNodeCrypto(): Promise<NodeCrypto | null> {
  const specifier = 'node:crypto';
  try {
    loaded = usable(await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier));
  } catch {
    loaded = null;
  }
  return loaded;
}
