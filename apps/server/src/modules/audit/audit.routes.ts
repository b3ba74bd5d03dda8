import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import { pageOf } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/types.ts';
import { AuditEvent, AuditOwnerParams, ListAuditEventsQuery, ScopedAuditEventsQuery } from './audit.schemas.ts';
import type { AuditService } from './audit.service.ts';

const tags = ['Audit'];
const security = [{ bearerAuth: [] }];
const response = { 200: pageOf(AuditEvent), ...errorResponses };

export function auditRoutes(app: App, audit: AuditService): void {
  app.get(
    '/v1/audit-events',
    {
      schema: {
        tags,
        security,
        summary: 'Search the audit log, newest first',
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
        params: AuditOwnerParams,
        querystring: ScopedAuditEventsQuery,
        response,
      },
    },
    async (request) => audit.listForAccount(contextOf(request), request.params.id, request.query),
  );
}
