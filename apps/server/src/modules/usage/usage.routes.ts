import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import type { DeferredRateLimit } from '../../platform/http/rate-limit.ts';
import type { App } from '../../platform/http/types.ts';
import {
  AdminUsageBody,
  ClientUsageBody,
  type ClientUsageInput,
  LicenseUsage,
  UsageHistory,
  UsageHistoryQuery,
  UsageIdParams,
  UsagePropertyParams,
  UsageResult,
} from './usage.schemas.ts';
import type { UsageService } from './usage.service.ts';

const tags = ['Usage'];
const security = [{ bearerAuth: [] }];
const meterDescription =
  'Hard limit: an increment that would take the counter above the limit is refused with 409 ' +
  '`USAGE_LIMIT_EXCEEDED` (decided atomically, also across server processes). Soft limit or unlimited: always ' +
  'accepted; `usage.status` says warning/exceeded. Decrements stop at 0. Every call, accepted or refused, is ' +
  'recorded in the history; with `idempotencyKey` a repeated call answers the recorded outcome and counts once. ' +
  'See docs/usage-metering.md.';

export interface UsageClientDeps {
  usage: UsageService;
  /** The client API's limits per IP and per license key, counted in the metering call's read statement. */
  deferredRateLimit: DeferredRateLimit;
}

/** Client API: POST /v1/client/usage. The license key is the credential; responses are signed. */
export function usageClientRoutes(app: App, deps: UsageClientDeps): void {
  app.post(
    '/v1/client/usage',
    {
      preValidation: deps.deferredRateLimit.hook,
      // The handler runs for invalid bodies too, so that they are counted (and refused with 429 first).
      attachValidation: true,
      // Keyward-Signature on every response, errors included (docs/license-files.md, "Signed responses").
      config: { signResponse: true },
      schema: {
        tags: ['Client API'],
        summary: 'Report usage of a metered property by license key: increment, decrement or set (signed)',
        description: meterDescription,
        body: ClientUsageBody,
        response: { 200: UsageResult, ...errorResponses, 429: Type.Ref('ErrorResponse') },
      },
    },
    async (request: FastifyRequest) => {
      const hit = await deps.deferredRateLimit.take(request);
      const client = { ip: request.ip, requestId: String(request.id) };
      // The nonce is a type array (see client.schemas.ts), which the type provider cannot infer.
      return deps.usage.meterByKey(client, request.body as ClientUsageInput, hit);
    },
  );
}

/** Admin API: a license's usage, its history, and corrections. */
export function usageRoutes(app: App, usage: UsageService): void {
  app.get(
    '/v1/licenses/:id/usage',
    {
      schema: {
        tags,
        security,
        summary: 'Current usage of every metered property of the license',
        params: UsageIdParams,
        response: { 200: LicenseUsage, ...errorResponses },
      },
    },
    async (request) => usage.list(contextOf(request), request.params.id),
  );

  app.post(
    '/v1/licenses/:id/usage/:propertyKey',
    {
      schema: {
        tags,
        security,
        summary: 'Increment, decrement or set the usage of a metered property (audited)',
        description: `${meterDescription} An admin \`set\` may go above a hard limit (a correction).`,
        params: UsagePropertyParams,
        body: AdminUsageBody,
        response: { 200: UsageResult, ...errorResponses },
      },
    },
    async (request) => usage.meter(contextOf(request), request.params.id, request.params.propertyKey, request.body),
  );

  app.post(
    '/v1/licenses/:id/usage/:propertyKey/reset',
    {
      schema: {
        tags,
        security,
        summary: "Reset the current period's usage of a metered property to 0 (audited)",
        params: UsagePropertyParams,
        response: { 200: UsageResult, ...errorResponses },
      },
    },
    async (request) => usage.reset(contextOf(request), request.params.id, request.params.propertyKey),
  );

  app.get(
    '/v1/licenses/:id/usage/:propertyKey/history',
    {
      schema: {
        tags,
        security,
        summary: 'Usage history: every call (newest first, paginated) and the total of each period',
        params: UsagePropertyParams,
        querystring: UsageHistoryQuery,
        response: { 200: UsageHistory, ...errorResponses },
      },
    },
    async (request) => usage.history(contextOf(request), request.params.id, request.params.propertyKey, request.query),
  );
}
