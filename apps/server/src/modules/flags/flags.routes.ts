import { Type } from '@sinclair/typebox';
import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import { pageOf } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/types.ts';
import {
  CreateFlagBody,
  type CreateFlagInput,
  CreateSegmentBody,
  DeleteFlagQuery,
  Flag,
  FlagIdParams,
  ListFlagsQuery,
  ListSegmentsQuery,
  Segment,
  SegmentIdParams,
  UpdateFlagBody,
  type UpdateFlagInput,
  UpdateSegmentBody,
} from './flags.schemas.ts';
import type { FlagsService } from './flags.service.ts';
import type { SegmentsService } from './segments.service.ts';

const tags = ['Feature flags'];
const security = [{ bearerAuth: [] }];

/** Feature flags and segments of a product (docs/feature-flags.md). */
export function flagRoutes(app: App, deps: { flags: FlagsService; segments: SegmentsService }): void {
  const { flags, segments } = deps;

  app.post(
    '/v1/flags',
    {
      schema: {
        tags,
        security,
        summary: 'Create a feature flag (Unleash model: strategies, constraints, variants, dependencies)',
        body: CreateFlagBody,
        response: { 201: Flag, ...errorResponses },
      },
    },
    // Strategy parameters are a type list (string or number), which the type provider cannot infer.
    async (request, reply) =>
      reply.status(201).send(await flags.create(contextOf(request), request.body as CreateFlagInput)),
  );

  app.get(
    '/v1/flags',
    {
      schema: {
        tags,
        security,
        summary: 'List feature flags (in key order)',
        querystring: ListFlagsQuery,
        response: { 200: pageOf(Flag), ...errorResponses },
      },
    },
    async (request) => flags.list(contextOf(request), request.query),
  );

  app.get(
    '/v1/flags/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Get a feature flag',
        params: FlagIdParams,
        response: { 200: Flag, ...errorResponses },
      },
    },
    async (request) => flags.get(contextOf(request), request.params.id),
  );

  app.patch(
    '/v1/flags/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change a feature flag (enabled is the kill switch); the key never changes',
        params: FlagIdParams,
        body: UpdateFlagBody,
        response: { 200: Flag, ...errorResponses },
      },
    },
    async (request) => flags.update(contextOf(request), request.params.id, request.body as UpdateFlagInput),
  );

  app.delete(
    '/v1/flags/:id',
    {
      schema: {
        tags,
        security,
        summary:
          'Delete a feature flag (409 FLAG_IN_USE while other flags depend on it, or while toggled for customers ' +
          'unless force=true)',
        params: FlagIdParams,
        querystring: DeleteFlagQuery,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await flags.remove(contextOf(request), request.params.id, request.query.force ?? false);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/flag-segments',
    {
      schema: {
        tags,
        security,
        summary: "Create a segment: a named set of constraints a product's flag strategies can reuse",
        body: CreateSegmentBody,
        response: { 201: Segment, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await segments.create(contextOf(request), request.body)),
  );

  app.get(
    '/v1/flag-segments',
    {
      schema: {
        tags,
        security,
        summary: 'List segments (in name order)',
        querystring: ListSegmentsQuery,
        response: { 200: pageOf(Segment), ...errorResponses },
      },
    },
    async (request) => segments.list(contextOf(request), request.query),
  );

  app.get(
    '/v1/flag-segments/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Get a segment',
        params: SegmentIdParams,
        response: { 200: Segment, ...errorResponses },
      },
    },
    async (request) => segments.get(contextOf(request), request.params.id),
  );

  app.patch(
    '/v1/flag-segments/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change a segment (applies to every flag using it)',
        params: SegmentIdParams,
        body: UpdateSegmentBody,
        response: { 200: Segment, ...errorResponses },
      },
    },
    async (request) => segments.update(contextOf(request), request.params.id, request.body),
  );

  app.delete(
    '/v1/flag-segments/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a segment (409 SEGMENT_IN_USE while a flag strategy references it)',
        params: SegmentIdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await segments.remove(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
