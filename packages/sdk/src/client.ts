/**
 * Keyward client SDK — online calls of the client API. Zero runtime dependencies; uses the platform's fetch
 * (Node >= 20, browsers).
 */
export type ValidationCode =
  | 'VALID'
  | 'NOT_FOUND'
  | 'MALFORMED_KEY'
  | 'NOT_YET_VALID'
  | 'EXPIRED'
  | 'IN_GRACE_PERIOD'
  | 'SUSPENDED'
  | 'REVOKED'
  | 'PRODUCT_SCOPE_MISMATCH'
  | 'MAINTENANCE_EXPIRED'
  | 'FINGERPRINT_SCOPE_REQUIRED'
  | 'FINGERPRINT_SCOPE_MISMATCH'
  | 'NO_MACHINE'
  | 'TOO_MANY_MACHINES'
  | 'HEARTBEAT_DEAD'
  | 'DOMAIN_SCOPE_REQUIRED'
  | 'DOMAIN_SCOPE_MISMATCH'
  | 'ENTITLEMENTS_MISSING';

export interface ValidationScope {
  product?: string;
  fingerprint?: string;
  domain?: string;
  entitlements?: string[];
  releasedAt?: string;
}

export interface ValidationResult {
  valid: boolean;
  code: ValidationCode;
  detail: string;
  license: Record<string, unknown> | null;
  meta: { ts: string; nonce: string | number | null; scope: ValidationScope | null };
}

export interface MachineInput {
  key: string;
  fingerprint: string;
  hostname?: string;
  platform?: string;
}

export class KeywardError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'KeywardError';
  }
}

export interface ClientOptions {
  /** Base URL of the Keyward server, e.g. https://licenses.example.com */
  baseUrl: string;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class KeywardClient {
  readonly #base: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: ClientOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Validates a key online. A decided result (valid or not) resolves; transport and server errors reject. */
  validateKey(key: string, scope?: ValidationScope, nonce?: string | number): Promise<ValidationResult> {
    return this.#post<ValidationResult>('/v1/licenses/validate-key', { key, scope, nonce });
  }

  activate(input: MachineInput): Promise<{ machine: Record<string, unknown>; license: Record<string, unknown> }> {
    return this.#post('/v1/machines/activate', input);
  }

  heartbeat(input: Pick<MachineInput, 'key' | 'fingerprint'>): Promise<{ machine: Record<string, unknown> }> {
    return this.#post('/v1/machines/heartbeat', input);
  }

  async deactivate(input: Pick<MachineInput, 'key' | 'fingerprint'>): Promise<void> {
    await this.#post('/v1/machines/deactivate', input);
  }

  async #post<T>(path: string, body: unknown): Promise<T> {
    const response = await this.#fetch(`${this.#base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const json = text ? (JSON.parse(text) as unknown) : null;
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
      const retry = response.headers.get('retry-after');
      throw new KeywardError(
        response.status,
        error?.code ?? `HTTP_${response.status}`,
        error?.message ?? response.statusText,
        retry ? Number(retry) : null,
      );
    }
    return json as T;
  }
}
