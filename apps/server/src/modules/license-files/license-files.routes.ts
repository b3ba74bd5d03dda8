import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import type { App } from '../../platform/http/types.ts';
import { LicenseIdParams } from '../licenses/licenses.schemas.ts';
import {
  CheckOutBody,
  type CheckOutInput,
  ClientCheckOutBody,
  type ClientCheckOutInput,
  LicenseFile,
} from './license-files.schemas.ts';
import type { LicenseFilesService } from './license-files.service.ts';

/** Admin API: POST /v1/licenses/:id/actions/check-out (bearer token; product tokens within their product). */
export function licenseFileAdminRoutes(app: App, files: LicenseFilesService): void {
  app.post(
    '/v1/licenses/:id/actions/check-out',
    {
      // Every field is optional: a POST without a body means the defaults.
      preValidation: async (request) => {
        if (request.body === undefined) request.body = {};
      },
      schema: {
        tags: ['License actions'],
        security: [{ bearerAuth: [] }],
        summary: 'Check out a signed license file (offline licensing), optionally encrypted and machine-bound',
        description:
          "The TTL may exceed the plan's maxOfflineSeconds (up to 10 years); such check-outs are marked in the audit " +
          'event (beyondPlanMaxOffline). Fingerprint-less files made here do not count against maxUnboundFiles.',
        params: LicenseIdParams,
        body: CheckOutBody,
        response: { 200: LicenseFile, ...errorResponses },
      },
    },
    async (request: FastifyRequest) => {
      const { id } = request.params as { id: string };
      return files.checkOut(contextOf(request), id, request.body as CheckOutInput);
    },
  );
}

export interface LicenseFileClientDeps {
  files: LicenseFilesService;
  /** The client API's preValidation hook limiting requests per IP and per license key. */
  rateLimit: (request: FastifyRequest) => Promise<void>;
}

/** Client API: POST /v1/licenses/check-out. The license key is the credential; no bearer token. */
export function licenseFileClientRoutes(app: App, deps: LicenseFileClientDeps): void {
  app.post(
    '/v1/licenses/check-out',
    {
      preValidation: deps.rateLimit,
      // Keyward-Signature on every response (docs/license-files.md, "Signed responses").
      config: { signResponse: true },
      schema: {
        tags: ['Client API'],
        summary: 'Check out a signed license file with the license key (refused like an activation would be)',
        description:
          "Within the plan's offline limits: ttlSeconds at most maxOfflineSeconds (422 OFFLINE_PERIOD_EXCEEDED); " +
          'without a fingerprint, at most maxUnboundFiles such files valid at once (409 TOO_MANY_UNBOUND_FILES; ' +
          '422 FINGERPRINT_REQUIRED when the plan allows none); a nonce when the plan has requireNonce ' +
          '(400 NONCE_REQUIRED). See docs/license-files.md.',
        body: ClientCheckOutBody,
        response: { 200: LicenseFile, ...errorResponses, 429: Type.Ref('ErrorResponse') },
      },
    },
    // The nonce is a type array (see license-files.schemas.ts), which the type provider cannot infer.
    async (request: FastifyRequest) =>
      deps.files.clientCheckOut({ ip: request.ip, requestId: String(request.id) }, request.body as ClientCheckOutInput),
  );
}
