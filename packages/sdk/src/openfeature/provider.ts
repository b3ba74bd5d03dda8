/**
 * KeywardProvider — an OpenFeature server provider for Keyward flags and entitlements. Sources: the online client
 * API (POST /v1/client/flags + /v1/client/entitlements, refreshed in the background, stale-while-error), a verified
 * license file (offline), or online with the file as fallback. Flags are evaluated locally by the SDK's FlagEngine.
 */
import {
  type EvaluationContext,
  GeneralError,
  type JsonValue,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  type ResolutionDetails,
} from '@openfeature/server-sdk';
import type { KeywardClient } from '../client.ts';
import { verifyLicenseFile } from '../license-file.ts';
import type { PublicKeysInput } from '../public-keys.ts';
import type { ClientContext } from '../types.ts';
import { type FlagType, resolve, type Served } from './resolve.ts';
import { buildSnapshot, changedKeys, type Snapshot } from './snapshot.ts';

export interface OnlineSourceOptions {
  client: KeywardClient;
  /** The license key (default: the client's `licenseKey` option). */
  key?: string;
  fingerprint?: string;
  /** Context for the server's own evaluation (`evaluated`); local evaluation uses each call's context. */
  context?: ClientContext;
  /** Also fetch entitlement properties (POST /v1/client/entitlements) to resolve property keys. Default true. */
  entitlements?: boolean;
}

export interface LicenseFileSourceOptions {
  /** The armored license file, or a function reading it — called at start and again at every refresh. */
  file: string | (() => string | Promise<string>);
  publicKeys: PublicKeysInput;
  licenseKey?: string;
  fingerprint?: string;
  clockToleranceSeconds?: number;
  /** See ClockGuard: the latest time this app has seen (a clock earlier than this is CLOCK_ROLLBACK). */
  lastSeenAt?: () => Date | string | number | null;
  releasedAt?: Date | string;
}

export interface KeywardProviderOptions {
  /** Online source. With `licenseFile` too, the file is the fallback while the API cannot be reached. */
  online?: OnlineSourceOptions;
  /** Offline source (a verified license file), or the fallback of the online one. */
  licenseFile?: LicenseFileSourceOptions;
  /** Background refresh period (default 30 000 ms): online fetch, or the file read and verified again. */
  refreshIntervalMs?: number;
  /** An online bundle older than this resolves as CACHED (default: twice refreshIntervalMs). */
  staleAfterMs?: number;
  /** Clock (ms) of refreshes and ages, and of the engine's DATE_* constraints and file checks. Default Date.now. */
  now?: () => number;
}

type Status = 'not_ready' | 'ready' | 'stale' | 'error';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class KeywardProvider implements Provider {
  readonly metadata = { name: 'keyward' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();

  readonly #o: KeywardProviderOptions;
  readonly #interval: number;
  readonly #staleAfter: number;
  readonly #now: () => number;
  #current: Snapshot | null = null;
  /** Serving the license file because the online API failed (online mode with fallback). */
  #degraded = false;
  #status: Status = 'not_ready';
  #lastError = 'The provider has not been initialized';
  #timer: ReturnType<typeof setTimeout> | null = null;
  #inflight: AbortController | null = null;
  #generation = 0;

  constructor(options: KeywardProviderOptions) {
    if (!options.online && !options.licenseFile) {
      throw new TypeError('KeywardProvider needs an online source, a licenseFile, or both');
    }
    this.#o = options;
    this.#interval = options.refreshIntervalMs ?? 30_000;
    this.#staleAfter = options.staleAfterMs ?? 2 * this.#interval;
    this.#now = options.now ?? Date.now;
  }

  /** Where the provider serves from now: `online`, `license-file`, or null (nothing yet, or closed). */
  get source(): Snapshot['source'] | null {
    return this.#current?.source ?? null;
  }

  /**
   * Loads the first snapshot: online, else the license file. Rejects (the SDK reports PROVIDER_ERROR) when there is
   * none; the provider keeps trying every refreshIntervalMs and emits PROVIDER_READY once it has data.
   */
  async initialize(): Promise<void> {
    const generation = ++this.#generation;
    this.#status = 'not_ready';
    try {
      await this.#load(generation, false);
      if (generation !== this.#generation) return; // closed meanwhile
      this.#status = this.#degraded ? 'stale' : 'ready';
      // The SDK marks the provider READY when this resolves; a fallback file then makes it STALE.
      if (this.#degraded) this.#later(generation, () => this.events.emit(ProviderEvents.Stale, this.#staleDetails()));
    } catch (err) {
      this.#status = 'error';
      throw err;
    } finally {
      if (generation === this.#generation) this.#schedule(generation);
    }
  }

  /** Stops the background refresh (and aborts one in flight) and forgets the data. */
  async onClose(): Promise<void> {
    this.#generation++;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#inflight?.abort();
    this.#inflight = null;
    this.#current = null;
    this.#degraded = false;
    this.#status = 'not_ready';
    this.#lastError = 'The provider is closed';
  }

  resolveBooleanEvaluation(key: string, fallback: boolean, ctx: EvaluationContext) {
    return this.#resolve<boolean>(key, 'boolean', fallback, ctx);
  }

  resolveStringEvaluation(key: string, fallback: string, ctx: EvaluationContext) {
    return this.#resolve<string>(key, 'string', fallback, ctx);
  }

  resolveNumberEvaluation(key: string, fallback: number, ctx: EvaluationContext) {
    return this.#resolve<number>(key, 'number', fallback, ctx);
  }

  resolveObjectEvaluation<T extends JsonValue>(key: string, fallback: T, ctx: EvaluationContext) {
    return this.#resolve<T>(key, 'object', fallback, ctx);
  }

  async #resolve<T>(key: string, type: FlagType, fallback: T, ctx: EvaluationContext): Promise<ResolutionDetails<T>> {
    return resolve(this.#served(), this.#lastError, key, type, fallback, ctx ?? {}) as ResolutionDetails<T>;
  }

  /**
   * CACHED: the snapshot is online data whose last refresh failed (STALE) or that is older than staleAfterMs, or it
   * is the fallback license file standing in for the online API. A purely offline provider is never CACHED.
   */
  #served(): Served | null {
    const snapshot = this.#current;
    if (!snapshot) return null;
    const cached =
      this.#degraded ||
      (snapshot.source === 'online' &&
        (this.#status === 'stale' || this.#now() - snapshot.loadedAt > this.#staleAfter));
    return { snapshot, cached };
  }

  /** Online first, then the file; adopts the first that works. Throws when neither does (or is configured). */
  async #load(generation: number, refresh: boolean): Promise<void> {
    const { online, licenseFile } = this.#o;
    const errors: string[] = [];
    if (online) {
      try {
        return this.#adopt(generation, await this.#fetchOnline(online), false);
      } catch (err) {
        if (generation !== this.#generation) return;
        errors.push(`online: ${messageOf(err)}`);
        this.#lastError = errors[0]!;
        // Stale-while-error: the last online bundle is fresher than any file.
        if (refresh && this.#current?.source === 'online') return this.#enterStale();
      }
    }
    if (licenseFile) {
      try {
        return this.#adopt(generation, await this.#readFile(licenseFile), !!online);
      } catch (err) {
        if (generation !== this.#generation) return;
        errors.push(`license file: ${messageOf(err)}`);
      }
    }
    this.#lastError = `Keyward has no flags to serve — ${errors.join('; ')}`;
    if (refresh && this.#current) {
      // A file that stopped verifying (expired, replaced by a bad one): stop serving it.
      this.#current = null;
      this.#degraded = false;
    }
    if (refresh && this.#status !== 'error' && this.#status !== 'not_ready') {
      this.#status = 'error';
      this.events.emit(ProviderEvents.Error, { message: this.#lastError });
    }
    throw new GeneralError(this.#lastError);
  }

  async #fetchOnline(o: OnlineSourceOptions): Promise<Snapshot> {
    const abort = new AbortController();
    this.#inflight = abort;
    try {
      const input = { key: o.key, fingerprint: o.fingerprint, context: o.context, signal: abort.signal };
      const [flags, entitlements] = await Promise.all([
        o.client.flags(input),
        o.entitlements === false ? null : o.client.entitlements(input),
      ]);
      const bundle = { features: flags.features, segments: flags.segments, context: flags.context };
      return buildSnapshot('online', bundle, entitlements?.properties, this.#clock());
    } finally {
      if (this.#inflight === abort) this.#inflight = null;
    }
  }

  async #readFile(o: LicenseFileSourceOptions): Promise<Snapshot> {
    const text = typeof o.file === 'function' ? await o.file() : o.file;
    const result = await verifyLicenseFile(text, {
      publicKeys: o.publicKeys,
      licenseKey: o.licenseKey,
      fingerprint: o.fingerprint,
      now: this.#now(),
      clockToleranceSeconds: o.clockToleranceSeconds,
      lastSeenAt: o.lastSeenAt?.() ?? null,
      releasedAt: o.releasedAt,
    });
    if (!result.valid) throw new GeneralError(`the license file does not verify: ${result.reason} — ${result.detail}`);
    return buildSnapshot('license-file', result.payload.flags, result.payload.entitlements?.properties, this.#clock());
  }

  #clock() {
    return { now: this.#now, engineNow: this.#o.now ? () => new Date(this.#now()) : undefined };
  }

  /** Serves `next`; after initialization, tells handlers what changed (READY / STALE, CONFIGURATION_CHANGED). */
  #adopt(generation: number, next: Snapshot, degraded: boolean): void {
    if (generation !== this.#generation) return;
    const before = this.#current;
    const was = this.#status;
    this.#current = next;
    this.#degraded = degraded;
    if (was === 'not_ready') return; // initialize() answers for the first load
    this.#status = degraded ? 'stale' : 'ready';
    if (this.#status === 'ready' && was !== 'ready') {
      this.events.emit(ProviderEvents.Ready, { message: `Serving flags from ${next.source}` });
    } else if (this.#status === 'stale' && was !== 'stale') {
      this.events.emit(ProviderEvents.Stale, this.#staleDetails());
    }
    const flagsChanged = before ? changedKeys(before, next) : [];
    if (flagsChanged.length > 0) {
      this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged, message: 'Flags or entitlements changed' });
    }
  }

  #enterStale(): void {
    if (this.#status === 'stale') return;
    this.#status = 'stale';
    this.events.emit(ProviderEvents.Stale, { message: `Serving the last flags fetched: ${this.#lastError}` });
  }

  #staleDetails() {
    return { message: `The API cannot be reached; serving the license file: ${this.#lastError}` };
  }

  #schedule(generation: number): void {
    this.#later(generation, () => void this.#refresh(generation), this.#interval);
  }

  #later(generation: number, run: () => void, ms = 0): void {
    const timer = setTimeout(() => {
      if (this.#timer === timer) this.#timer = null;
      if (generation === this.#generation) run();
    }, ms);
    (timer as { unref?: () => void }).unref?.();
    if (ms > 0) this.#timer = timer;
  }

  async #refresh(generation: number): Promise<void> {
    try {
      await this.#load(generation, true);
    } catch {
      // Reported through events; the next refresh tries again.
    } finally {
      if (generation === this.#generation) this.#schedule(generation);
    }
  }
}
