import { Type } from '@sinclair/typebox';
import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import { pageOf } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/types.ts';
import {
  Account,
  AccountIdParams,
  CreateAccountBody,
  CrmIdParams,
  ListAccountsQuery,
  UpdateAccountBody,
  UpsertAccountBody,
} from './accounts.schemas.ts';
import type { AccountsService } from './accounts.service.ts';

const tags = ['Accounts'];
const security = [{ bearerAuth: [] }];

/** ADR 0007. */
const PRODUCT_TOKEN_CHANGES =
  'Product tokens read and create every account but change only accounts whose licenses are all of their product ' +
  '(or that have none): 403 FORBIDDEN otherwise; a request that changes nothing is answered with the account.';

export function accountRoutes(app: App, accounts: AccountsService): void {
  app.post(
    '/v1/accounts',
    {
      schema: {
        tags,
        security,
        summary: 'Create an account (a customer organisation)',
        body: CreateAccountBody,
        response: { 201: Account, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await accounts.create(contextOf(request), request.body)),
  );

  app.get(
    '/v1/accounts',
    {
      schema: {
        tags,
        security,
        summary: 'List and search accounts',
        querystring: ListAccountsQuery,
        response: { 200: pageOf(Account), ...errorResponses },
      },
    },
    async (request) => accounts.list(contextOf(request), request.query),
  );

  app.get(
    '/v1/accounts/by-crm-id/:crmId',
    {
      schema: {
        tags,
        security,
        summary: 'Get the account with a CRM id',
        params: CrmIdParams,
        response: { 200: Account, ...errorResponses },
      },
    },
    async (request) => accounts.getByCrmId(contextOf(request), request.params.crmId),
  );

  app.put(
    '/v1/accounts/by-crm-id/:crmId',
    {
      schema: {
        tags,
        security,
        summary: 'Create or update the account with a CRM id (idempotent; for CRM sync)',
        description:
          'Creates the account (201) when no account has this CRM id, otherwise updates it (200). Fields left out ' +
          'keep their stored value on update. Concurrent calls for one CRM id never create two accounts. ' +
          PRODUCT_TOKEN_CHANGES,
        params: CrmIdParams,
        body: UpsertAccountBody,
        response: { 200: Account, 201: Account, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await accounts.upsertByCrmId(contextOf(request), request.params.crmId, request.body);
      return reply.status(result.created ? 201 : 200).send(result.account);
    },
  );

  app.get(
    '/v1/accounts/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Get an account',
        params: AccountIdParams,
        response: { 200: Account, ...errorResponses },
      },
    },
    async (request) => accounts.get(contextOf(request), request.params.id),
  );

  app.patch(
    '/v1/accounts/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Update an account',
        description: PRODUCT_TOKEN_CHANGES,
        params: AccountIdParams,
        body: UpdateAccountBody,
        response: { 200: Account, ...errorResponses },
      },
    },
    async (request) => accounts.update(contextOf(request), request.params.id, request.body),
  );

  app.delete(
    '/v1/accounts/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete an account without licenses (admin tokens and admin users only)',
        params: AccountIdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await accounts.remove(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
