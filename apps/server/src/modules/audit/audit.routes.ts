import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import { pageOf } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/types.ts';
import { AuditEvent, AuditOwnerParams, ListAuditEventsQuery, ScopedAuditEventsQuery } from './audit.schemas.ts';
import type { AuditService } from './audit.service.ts';

const tags = ['Audit'];
const security = [{ bearerAuth: [] }];
const response = { 200: pageOf(AuditEvent), ...errorResponses };
const description =
  'Only events about what the caller may read: events about users, API tokens and signing keys follow the ' +
  'permission of those resources (admin users, admin and read-only tokens), and product tokens see only events ' +
  'of their product. Filters never widen this.';

export function auditRoutes(app: App, audit: AuditService): void {
  app.get(
    '/v1/audit-events',
    {
      schema: {
        tags,
        security,
        summary: 'Search the audit log, newest first',
        description,
        querystring: ListAuditEventsQuery,
        response,
      },
    },
    async (request) => audit.list(contextOf(request), request.query),
  );

  app.get(
    '/v1/licenses/:id/audit-events',
    {
      schema: {
        tags,
        security,
        summary: 'The audit history of a license, newest first',
        description,
        params: AuditOwnerParams,
        querystring: ScopedAuditEventsQuery,
        response,
      },
    },
    async (request) => audit.listForLicense(contextOf(request), request.params.id, request.query),
  );

  app.get(
    '/v1/accounts/:id/audit-events',
    {
      schema: {
        tags,
        security,
        summary: 'The audit history of an account, newest first',
        description,
        params: AuditOwnerParams,
        querystring: ScopedAuditEventsQuery,
        response,
      },
    },
    async (request) => audit.listForAccount(contextOf(request), request.params.id, request.query),
  );
}
