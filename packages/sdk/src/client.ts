/**
 * Keyward client SDK — online calls of the client API. Zero runtime dependencies; uses the platform's fetch and
 * WebCrypto (Node >= 20, browsers). Signed responses are verified by default; transport errors, 429 and 5xx are
 * retried with backoff (retry.ts); a 4xx is the server's decision and is thrown at once.
 */
import { randomBytes } from './crypto.ts';
import { isRecord, toB64url } from './encoding.ts';
import type { EntitlementsState, UsageState } from './entitlements-types.ts';
import { KeywardError } from './errors.ts';
import { type HeartbeatLoop, type HeartbeatLoopOptions, runHeartbeatLoop } from './heartbeat.ts';
import { jsonOf, type RawResponse, request, type TransportOptions } from './http.ts';
import { followKeyChain } from './key-chain.ts';
import { verifyLicenseFile } from './license-file.ts';
import { importPublicKeys, type PublicKeyEntry, PublicKeySet, type PublicKeysInput } from './public-keys.ts';
import { signedNonce, verifyResponseSignature } from './response-signature.ts';
import { type RetryOptions, retryPolicy, sleep } from './retry.ts';
import type {
  ActivationResult,
  CheckOutInput,
  CheckOutResult,
  FlagsResult,
  HeartbeatResult,
  LicenseStateInput,
  MachineInput,
  MachineKeyInput,
  PublicKeysResponse,
  UsageOptions,
  UsageResult,
  ValidationResult,
  ValidationScope,
} from './types.ts';

export interface ClientOptions {
  /** Base URL of the Keyward server, e.g. https://licenses.example.com */
  baseUrl: string;
  /** The license key of entitlements(), flags() and recordUsage() when the call names none. */
  licenseKey?: string;
  /** Timeout of each attempt (default 10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Retry policy (see RetryOptions); false: no retries. */
  retry?: RetryOptions | false;
  /** Verify the Keyward-Signature of signed responses (default true). A bad or missing one throws SIGNATURE_INVALID. */
  verifySignatures?: boolean;
  /** Pinned public keys (recommended). Without them the client fetches GET /v1/keys once and trusts that. */
  publicKeys?: PublicKeysInput;
  /**
   * With pinned keys (as a list or the /v1/keys JSON): on a signature by an unknown kid, fetch GET /v1/keys and
   * trust the keys that chain to the pinned ones through the rotations' endorsements (followKeyChain), at most once
   * a minute. Default true; false: only the pinned keys, ever.
   */
  followKeyChain?: boolean;
  /** How far a response's signed `ts` may be from this clock (default 300 s). */
  signatureToleranceSeconds?: number;
  /** Called before each retry wait. */
  onRetry?: TransportOptions['onRetry'];
  /** Injectable for tests: the clock, the wait between retries and the jitter source. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

interface SignedCall {
  path: string;
  body: Record<string, unknown>;
  /** Whether the endpoint takes a nonce in its body (bound into the response signature). */
  nonce: boolean | string | number;
  signal?: AbortSignal | undefined;
}

const SIGNATURE_FAILURES = new Set(['BAD_SIGNATURE', 'UNKNOWN_KID', 'MALFORMED', 'UNSUPPORTED_VERSION']);

export class KeywardClient {
  readonly #http: TransportOptions;
  readonly #verify: boolean;
  readonly #pinned: PublicKeysInput | null;
  readonly #followChain: boolean;
  /** The pinned keys extended along the key chain, and when that was last looked at. */
  #chained: { set: PublicKeySet; at: number } | null = null;
  readonly #tolerance: number;
  readonly #licenseKey: string | undefined;
  #fetched: Promise<{ json: PublicKeysResponse; set: PublicKeySet; at: number }> | null = null;

  constructor(options: ClientOptions) {
    this.#http = {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      timeoutMs: options.timeoutMs ?? 10_000,
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      retry: retryPolicy(options.retry),
      sleep: options.sleep ?? sleep,
      random: options.random ?? Math.random,
      now: options.now ?? Date.now,
      onRetry: options.onRetry,
    };
    this.#verify = options.verifySignatures ?? true;
    this.#pinned = options.publicKeys ?? null;
    this.#followChain = options.followKeyChain ?? true;
    this.#tolerance = options.signatureToleranceSeconds ?? 300;
    this.#licenseKey = options.licenseKey;
  }

  /** Validates a key online. A decided result (valid or not) resolves; transport and server errors reject. */
  async validateKey(key: string, scope?: ValidationScope, nonce?: string | number): Promise<ValidationResult> {
    const call = { path: '/v1/licenses/validate-key', body: { key, scope }, nonce: nonce ?? true };
    const { json, nonce: sent } = await this.#signedPost<ValidationResult>(call);
    if (this.#verify && json.meta?.nonce !== sent) {
      throw new KeywardError(200, 'SIGNATURE_INVALID', 'The response does not echo the nonce of the request');
    }
    return json;
  }

  /** Activates a machine (idempotent per fingerprint). Refusals (403, 409 TOO_MANY_MACHINES …) throw. */
  async activate(input: MachineInput): Promise<ActivationResult> {
    return (
      await this.#signedPost<ActivationResult>({ path: '/v1/machines/activate', body: { ...input }, nonce: true })
    ).json;
  }

  /** Tells the server the machine is alive. 404 MACHINE_NOT_FOUND: it died — activate again. */
  async heartbeat(input: MachineKeyInput, options: { signal?: AbortSignal } = {}): Promise<HeartbeatResult> {
    const call = { path: '/v1/machines/heartbeat', body: { ...input }, nonce: true, signal: options.signal };
    return (await this.#signedPost<HeartbeatResult>(call)).json;
  }

  /** Deactivates a machine, freeing its seat. */
  async deactivate(input: MachineKeyInput): Promise<void> {
    await request(this.#http, { method: 'POST', path: '/v1/machines/deactivate', body: input });
  }

  /** Checks out a signed license file (optionally machine-bound and encrypted) and verifies it. */
  async checkOut(input: CheckOutInput): Promise<CheckOutResult> {
    const { verify = this.#verify, ...body } = input;
    const call = { path: '/v1/licenses/check-out', body, nonce: true };
    const { json } = await this.#signedPost<Omit<CheckOutResult, 'verification'>>(call);
    if (typeof json?.certificate !== 'string') {
      throw new KeywardError(200, 'INVALID_RESPONSE', 'The check-out response has no certificate');
    }
    if (!verify) return { ...json, verification: null };
    const check = async (unknownKid: boolean) =>
      verifyLicenseFile(json.certificate, {
        publicKeys: await this.#keySet(unknownKid),
        licenseKey: input.key,
        fingerprint: input.fingerprint,
        now: this.#http.now(),
      });
    let verification = await check(false);
    if (!verification.valid && verification.reason === 'UNKNOWN_KID') verification = await check(true);
    if (!verification.valid && SIGNATURE_FAILURES.has(verification.reason)) {
      throw new KeywardError(200, 'SIGNATURE_INVALID', `The license file does not verify: ${verification.detail}`);
    }
    return { ...json, verification };
  }

  /** What the license may do now: properties with effective values and sources, usage, trial, flags (signed). */
  async entitlements(input: LicenseStateInput = {}): Promise<EntitlementsState> {
    const call = { path: '/v1/client/entitlements', body: this.#stateBody(input), nonce: true, signal: input.signal };
    const { json } = await this.#signedPost<EntitlementsState>(call);
    return expectShape(json, 'properties', 'POST /v1/client/entitlements');
  }

  /** The license's flag definitions (evaluate them locally with FlagEngine) and the server's evaluation (signed). */
  async flags(input: LicenseStateInput = {}): Promise<FlagsResult> {
    const call = { path: '/v1/client/flags', body: this.#stateBody(input), nonce: true, signal: input.signal };
    const { json } = await this.#signedPost<FlagsResult>(call);
    return expectShape(expectShape(json, 'features', 'POST /v1/client/flags'), 'segments', 'POST /v1/client/flags');
  }

  /**
   * Records usage of a metered property (signed). Every call carries an idempotency key — a random one unless
   * given — that its retries reuse, so a retry never counts twice. A hard limit that would be exceeded resolves
   * `{accepted: false, code: 'USAGE_LIMIT_EXCEEDED'}` (nothing counted); other refusals throw.
   */
  async recordUsage(property: string, options: UsageOptions = {}): Promise<UsageResult> {
    const idempotencyKey = options.idempotencyKey ?? toB64url(randomBytes(16));
    const body = {
      key: this.#keyOf(options.key),
      property,
      op: options.op ?? 'increment',
      amount: options.amount ?? 1,
      idempotencyKey,
    };
    try {
      const call = { path: '/v1/client/usage', body, nonce: true, signal: options.signal };
      const { json } = await this.#signedPost<{ property?: unknown; usage: UsageState }>(call);
      const usage = expectShape(json, 'usage', 'POST /v1/client/usage').usage;
      return {
        accepted: true,
        property: typeof json.property === 'string' ? json.property : property,
        usage,
        idempotencyKey,
      };
    } catch (err) {
      if (!(err instanceof KeywardError && err.status === 409 && err.code === 'USAGE_LIMIT_EXCEEDED')) throw err;
      return { accepted: false, code: 'USAGE_LIMIT_EXCEEDED', property, message: err.message, idempotencyKey };
    }
  }

  /** GET /v1/keys, fetched once and cached (`refresh: true` fetches again). */
  async getPublicKeys(options: { refresh?: boolean } = {}): Promise<PublicKeysResponse> {
    return (await this.#fetchKeys(options.refresh ?? false)).json;
  }

  /** Sends heartbeats until stopped; see HeartbeatLoopOptions. */
  startHeartbeatLoop(options: HeartbeatLoopOptions): HeartbeatLoop {
    return runHeartbeatLoop((signal) => this.heartbeat(options, { signal }), options, {
      now: this.#http.now,
      random: this.#http.random,
    });
  }

  #keyOf(key: string | undefined): string {
    const chosen = key ?? this.#licenseKey;
    if (!chosen) throw new TypeError('A license key is needed: pass `key` or set the client option `licenseKey`');
    return chosen;
  }

  #stateBody(input: LicenseStateInput): Record<string, unknown> {
    return { key: this.#keyOf(input.key), fingerprint: input.fingerprint, context: input.context };
  }

  #fetchKeys(refresh: boolean): Promise<{ json: PublicKeysResponse; set: PublicKeySet; at: number }> {
    if (!this.#fetched || refresh) {
      const pending = (async () => {
        const raw = await request(this.#http, { method: 'GET', path: '/v1/keys' });
        const json = jsonOf(raw) as PublicKeysResponse;
        try {
          return { json, set: await importPublicKeys(json), at: this.#http.now() };
        } catch (err) {
          throw new KeywardError(raw.status, 'INVALID_RESPONSE', `GET /v1/keys: ${(err as Error).message}`);
        }
      })();
      this.#fetched = pending;
      pending.catch(() => {
        if (this.#fetched === pending) this.#fetched = null;
      });
    }
    return this.#fetched;
  }

  /**
   * The keys to verify with: pinned ones (extended along the key chain for a new kid, once a minute), or those of
   * GET /v1/keys (fetched again for a new kid, once a minute).
   */
  async #keySet(unknownKid: boolean): Promise<PublicKeySet> {
    if (this.#pinned) {
      const chained = this.#chained;
      const pinned = this.#pinned;
      if (!unknownKid || !this.#followChain || pinned instanceof PublicKeySet) {
        return chained?.set ?? importPublicKeys(pinned);
      }
      if (chained && this.#http.now() - chained.at < 60_000) return chained.set;
      const { json } = await this.#fetchKeys(true);
      const { keys } = await followKeyChain(pinned as PublicKeyEntry[] | { keys: PublicKeyEntry[] }, json);
      const set = await importPublicKeys(keys);
      this.#chained = { set, at: this.#http.now() };
      return set;
    }
    const current = await this.#fetchKeys(false);
    if (!unknownKid || this.#http.now() - current.at < 60_000) return current.set;
    return (await this.#fetchKeys(true)).set;
  }

  async #signedPost<T>(call: SignedCall): Promise<{ json: T; nonce: string | number | null }> {
    const nonce =
      typeof call.nonce === 'boolean' ? (call.nonce && this.#verify ? toB64url(randomBytes(16)) : null) : call.nonce;
    if (nonce !== null) signedNonce(nonce); // an empty string or a fraction is no nonce: TypeError before sending
    const body = nonce === null ? call.body : { ...call.body, nonce };
    const raw = await request(this.#http, { method: 'POST', path: call.path, body, signal: call.signal });
    if (this.#verify) await this.#checkSignature(call.path, nonce, raw);
    return { json: jsonOf(raw) as T, nonce };
  }

  async #checkSignature(path: string, nonce: string | number | null, raw: RawResponse): Promise<void> {
    const check = async (set: PublicKeySet) =>
      verifyResponseSignature({
        publicKeys: set,
        header: raw.headers.get('keyward-signature'),
        method: 'POST',
        path,
        nonce,
        body: raw.body,
        now: this.#http.now(),
        toleranceSeconds: this.#tolerance,
      });
    let result = await check(await this.#keySet(false));
    if (!result.valid && result.reason === 'UNKNOWN_KID') result = await check(await this.#keySet(true));
    if (!result.valid) throw new KeywardError(raw.status, 'SIGNATURE_INVALID', `${result.reason}: ${result.detail}`);
  }
}

/** The response must be an object whose `field` is an array (features, segments, properties) or an object. */
function expectShape<T>(json: T, field: string, call: string): T {
  const value = isRecord(json) ? json[field] : undefined;
  if (Array.isArray(value) || isRecord(value)) return json;
  throw new KeywardError(200, 'INVALID_RESPONSE', `${call}: the response has no ${field}`);
}
