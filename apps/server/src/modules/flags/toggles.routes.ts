import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { contextOf } from '../../platform/auth/bearer.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import { pageOf } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/types.ts';
import { AccountIdParams } from '../accounts/accounts.schemas.ts';
import { LicenseIdParams } from '../licenses/licenses.schemas.ts';
import type { ClientFlagsService } from './client-flags.service.ts';
import type { CustomerFlagsService } from './customer-flags.service.ts';
import { FlagIdParams } from './flags.schemas.ts';
import {
  AccountFlagsQuery,
  ClientFlagsBody,
  type ClientFlagsInput,
  ClientFlagsResult,
  CustomerFlags,
  ExplainFlagBody,
  FlagExplainResult,
  ListTogglesQuery,
  PutToggleBody,
  Toggle,
  ToggleParams,
  type ToggleParamsInput,
} from './toggles.schemas.ts';
import type { TogglesService } from './toggles.service.ts';

const tags = ['Feature flags'];

/** The toggle scope of a path: account or license. PUT elsewhere is a 400; DELETE of no such toggle a 404. */
function scopedParams(
  params: { id: string; scope: string; targetId: string },
  op: 'put' | 'delete',
): ToggleParamsInput {
  if (params.scope === 'account' || params.scope === 'license') return { ...params, scope: params.scope };
  if (op === 'delete') throw notFound('FLAG_TOGGLE_NOT_FOUND', 'Toggle');
  throw badRequest('VALIDATION_FAILED', 'The toggle scope is account or license', [
    { field: '/params/scope', message: 'must be account or license' },
  ]);
}
const security = [{ bearerAuth: [] }];

export interface ToggleRouteDeps {
  toggles: TogglesService;
  customers: CustomerFlagsService;
}

/** Per-customer toggles, a customer's flags (the dashboard's Flags tab) and explain. */
export function toggleRoutes(app: App, deps: ToggleRouteDeps): void {
  const { toggles, customers } = deps;

  app.get(
    '/v1/flags/:id/toggles',
    {
      schema: {
        tags,
        security,
        summary: 'The per-customer toggles of a flag (accounts and licenses switched on or off)',
        params: FlagIdParams,
        querystring: ListTogglesQuery,
        response: { 200: pageOf(Toggle), ...errorResponses },
      },
    },
    async (request) => toggles.list(contextOf(request), request.params.id, request.query),
  );

  app.put(
    '/v1/flags/:id/toggles/:scope/:targetId',
    {
      schema: {
        tags,
        security,
        summary: 'Switch a flag on or off for one account or one license (license > account > strategies)',
        params: ToggleParams,
        body: PutToggleBody,
        response: { 200: Toggle, ...errorResponses },
      },
    },
    async (request) => toggles.put(contextOf(request), scopedParams(request.params, 'put'), request.body),
  );

  app.delete(
    '/v1/flags/:id/toggles/:scope/:targetId',
    {
      schema: {
        tags,
        security,
        summary: "Remove a customer's toggle (the flag's strategies decide again)",
        params: ToggleParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await toggles.remove(contextOf(request), scopedParams(request.params, 'delete'));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/licenses/:id/flags',
    {
      schema: {
        tags,
        security,
        summary: "The license's flags: each with this customer's toggle (license or account) and its evaluation",
        params: LicenseIdParams,
        response: { 200: CustomerFlags, ...errorResponses },
      },
    },
    async (request) => customers.forLicense(contextOf(request), request.params.id),
  );

  app.get(
    '/v1/accounts/:id/flags',
    {
      schema: {
        tags,
        security,
        summary: "An account's flags of one product: each with the account's toggle and its evaluation",
        params: AccountIdParams,
        querystring: AccountFlagsQuery,
        response: { 200: CustomerFlags, ...errorResponses },
      },
    },
    async (request) => customers.forAccount(contextOf(request), request.params.id, request.query.productId),
  );

  app.post(
    '/v1/flags/:id/explain',
    {
      config: { readsOnly: true },
      schema: {
        tags,
        security,
        summary: 'Why a flag is on or off for a license, an account or a context: every step, toggles in words',
        params: FlagIdParams,
        body: ExplainFlagBody,
        response: { 200: FlagExplainResult, ...errorResponses },
      },
    },
    async (request) => customers.explain(contextOf(request), request.params.id, request.body),
  );
}

export interface ClientFlagRouteDeps {
  clientFlags: ClientFlagsService;
  /** The client API's preValidation hook limiting requests per IP and per license key. */
  rateLimit: (request: FastifyRequest) => Promise<void>;
}

/** Client API: POST /v1/client/flags. The license key is the credential; the response is signed. */
export function clientFlagRoutes(app: App, deps: ClientFlagRouteDeps): void {
  app.post(
    '/v1/client/flags',
    {
      preValidation: deps.rateLimit,
      // Keyward-Signature on every response, errors included (docs/license-files.md, "Signed responses").
      config: { signResponse: true },
      schema: {
        tags: ['Client API'],
        summary: "The license's flags by key: definitions to evaluate locally, its context, and evaluated (signed)",
        body: ClientFlagsBody,
        response: { 200: ClientFlagsResult, ...errorResponses, 429: Type.Ref('ErrorResponse') },
      },
    },
    // The nonce is a type array (see client.schemas.ts), which the type provider cannot infer.
    async (request: FastifyRequest) =>
      deps.clientFlags.forClient({ ip: request.ip, requestId: String(request.id) }, request.body as ClientFlagsInput),
  );
}
