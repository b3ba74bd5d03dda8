import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { errorResponses } from '../../platform/http/error-schema.ts';
import type { DeferredRateLimit } from '../../platform/http/rate-limit.ts';
import type { App } from '../../platform/http/types.ts';
import type { ActivationService, ClientRequest } from './activation.service.ts';
import {
  ActivateBody,
  type ActivateInput,
  ActivationResult,
  HeartbeatBody,
  type HeartbeatInput,
  HeartbeatResult,
  MachineKeyBody,
  ValidateKeyBody,
  type ValidateKeyInput,
  ValidationResult,
} from './client.schemas.ts';
import type { ValidationService } from './validation.service.ts';

const tags = ['Client API'];
const responses = { ...errorResponses, 429: Type.Ref('ErrorResponse') };
/** Responses carry a Keyward-Signature header (modules/signing/response-signing.ts). */
const signed = { signResponse: true };

export interface ClientRouteDeps {
  validation: ValidationService;
  activation: ActivationService;
  /** preValidation hook limiting requests per IP and per license key. */
  rateLimit: (request: FastifyRequest) => Promise<void>;
  /** The same limits, counted in validate-key's lookup statement (one round trip). */
  deferredRateLimit: DeferredRateLimit;
}

const clientOf = (request: FastifyRequest): ClientRequest => ({ ip: request.ip, requestId: String(request.id) });

/** Client API: what the vendor's product calls. No bearer token: the license key is the credential. */
export function clientRoutes(app: App, deps: ClientRouteDeps): void {
  const { validation, activation, rateLimit, deferredRateLimit } = deps;

  app.post(
    '/v1/licenses/validate-key',
    {
      preValidation: deferredRateLimit.hook,
      // The handler runs for invalid bodies too, so that they are counted (and refused with 429 first).
      attachValidation: true,
      config: signed,
      schema: {
        tags,
        summary: 'Validate a license key (always 200 with valid, code and detail once decided)',
        body: ValidateKeyBody,
        response: { 200: ValidationResult, ...responses },
      },
    },
    async (request) => {
      const hit = await deferredRateLimit.take(request);
      // The nonce is a type array (see client.schemas.ts), which the type provider cannot infer.
      return validation.validate(request.body as ValidateKeyInput, hit);
    },
  );

  app.post(
    '/v1/machines/activate',
    {
      preValidation: rateLimit,
      config: signed,
      schema: {
        tags,
        summary: 'Activate a machine on a license (201 new, 200 already active)',
        body: ActivateBody,
        response: { 200: ActivationResult, 201: ActivationResult, ...responses },
      },
    },
    async (request, reply) => {
      // The nonce is a type array (see client.schemas.ts), which the type provider cannot infer.
      const { created, ...result } = await activation.activate(clientOf(request), request.body as ActivateInput);
      return reply.status(created ? 201 : 200).send(result);
    },
  );

  app.post(
    '/v1/machines/heartbeat',
    {
      preValidation: rateLimit,
      config: signed,
      schema: {
        tags,
        summary: 'Tell the server a machine is alive (plans with a heartbeat interval)',
        body: HeartbeatBody,
        response: { 200: HeartbeatResult, ...responses },
      },
    },
    // The nonce is a type array (see client.schemas.ts), which the type provider cannot infer.
    async (request) => activation.heartbeat(clientOf(request), request.body as HeartbeatInput),
  );

  app.post(
    '/v1/machines/deactivate',
    {
      preValidation: rateLimit,
      schema: {
        tags,
        summary: 'Deactivate a machine, freeing its seat',
        description:
          '204 and a `machine.deactivated` audit event for the request that removed it; 404 MACHINE_NOT_FOUND when ' +
          'no machine with this fingerprint is active, also when a concurrent deactivation removed it first.',
        body: MachineKeyBody,
        response: { 204: Type.Null(), ...responses },
      },
    },
    async (request, reply) => {
      await activation.deactivate(clientOf(request), request.body);
      return reply.status(204).send(null);
    },
  );
}
