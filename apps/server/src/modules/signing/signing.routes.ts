import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import type { App } from '../../platform/http/types.ts';
import { PublicKeySet, RotationResult } from './signing.schemas.ts';
import type { SigningService } from './signing.service.ts';

/** Verifiers may cache the key set briefly; on an unknown kid they fetch it again. */
const KEYS_CACHE_CONTROL = 'public, max-age=60';

/** Public (no token): the keys that verify signed responses, license files and signed keys. */
export function publicKeyRoutes(app: App, signing: SigningService): void {
  for (const url of ['/v1/keys', '/.well-known/keyward-keys.json']) {
    app.get(
      url,
      {
        schema: {
          tags: ['Signing keys'],
          summary: 'Public signing keys (Ed25519): the active one and older ones that still verify',
          response: { 200: PublicKeySet },
        },
      },
      async (_request, reply) => {
        reply.header('cache-control', KEYS_CACHE_CONTROL);
        return signing.listKeys();
      },
    );
  }
}

/** Admin API: rotate the signing key. */
export function signingKeyAdminRoutes(app: App, signing: SigningService): void {
  app.post(
    '/v1/signing-keys/rotate',
    {
      schema: {
        tags: ['Signing keys'],
        security: [{ bearerAuth: [] }],
        summary: 'Make a new active signing key (admin); older keys stay published for verification',
        response: { 201: RotationResult, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await signing.rotate(contextOf(request))),
  );
}
