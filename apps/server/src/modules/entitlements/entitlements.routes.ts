import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import type { App } from '../../platform/http/types.ts';
import { LicenseIdParams } from '../licenses/licenses.schemas.ts';
import { PropertyIdParams } from '../properties/properties.schemas.ts';
import {
  ClientEntitlementsBody,
  type ClientEntitlementsInput,
  EntitlementsStateSchema,
  ExplainQuery,
  PropertyExplanation,
} from './entitlements.schemas.ts';
import type { EntitlementsService } from './entitlements.service.ts';

/** Admin API: the check call by license id, and the explain of one property. */
export function entitlementRoutes(app: App, entitlements: EntitlementsService): void {
  app.get(
    '/v1/licenses/:id/entitlements',
    {
      schema: {
        tags: ['Entitlements'],
        security: [{ bearerAuth: [] }],
        summary: 'What this license may do: every property with its value and source, usage, trial dates, flags',
        params: LicenseIdParams,
        response: { 200: EntitlementsStateSchema, ...errorResponses },
      },
    },
    async (request: FastifyRequest) => {
      const { id } = request.params as { id: string };
      return entitlements.forLicense(contextOf(request), id);
    },
  );

  app.get(
    '/v1/properties/:id/explain',
    {
      schema: {
        tags: ['Entitlements'],
        security: [{ bearerAuth: [] }],
        summary: 'Why a property has its value for a license (or an account): every candidate and its outcome',
        params: PropertyIdParams,
        querystring: ExplainQuery,
        response: { 200: PropertyExplanation, ...errorResponses },
      },
    },
    async (request) => entitlements.explain(contextOf(request), request.params.id, request.query),
  );
}

export interface EntitlementClientDeps {
  entitlements: EntitlementsService;
  /** The client API's preValidation hook limiting requests per IP and per license key. */
  rateLimit: (request: FastifyRequest) => Promise<void>;
}

/** Client API: POST /v1/client/entitlements. The license key is the credential; the response is signed. */
export function entitlementClientRoutes(app: App, deps: EntitlementClientDeps): void {
  app.post(
    '/v1/client/entitlements',
    {
      preValidation: deps.rateLimit,
      // Keyward-Signature on every response, errors included (docs/license-files.md, "Signed responses").
      config: { signResponse: true },
      schema: {
        tags: ['Client API'],
        summary: "The license's entitlements by key: properties, usage, trial dates and evaluated flags (signed)",
        body: ClientEntitlementsBody,
        response: { 200: EntitlementsStateSchema, ...errorResponses, 429: Type.Ref('ErrorResponse') },
      },
    },
    // The nonce is a type array (see client.schemas.ts), which the type provider cannot infer.
    async (request: FastifyRequest) =>
      deps.entitlements.forClient(
        { ip: request.ip, requestId: String(request.id) },
        request.body as ClientEntitlementsInput,
      ),
  );
}
