import { Type } from '@sinclair/typebox';
import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import { pageOf } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/types.ts';
import {
  CreateProductBody,
  ListProductsQuery,
  Product,
  ProductIdParams,
  UpdateProductBody,
} from './products.schemas.ts';
import type { ProductsService } from './products.service.ts';

const tags = ['Products'];
const security = [{ bearerAuth: [] }];

export function productRoutes(app: App, products: ProductsService): void {
  app.post(
    '/v1/products',
    {
      schema: {
        tags,
        security,
        summary: 'Create a product',
        body: CreateProductBody,
        response: { 201: Product, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await products.create(contextOf(request), request.body)),
  );

  app.get(
    '/v1/products',
    {
      schema: {
        tags,
        security,
        summary: 'List products',
        querystring: ListProductsQuery,
        response: { 200: pageOf(Product), ...errorResponses },
      },
    },
    async (request) => products.list(contextOf(request), request.query),
  );

  app.get(
    '/v1/products/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Get a product',
        params: ProductIdParams,
        response: { 200: Product, ...errorResponses },
      },
    },
    async (request) => products.get(contextOf(request), request.params.id),
  );

  app.patch(
    '/v1/products/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Update a product',
        params: ProductIdParams,
        body: UpdateProductBody,
        response: { 200: Product, ...errorResponses },
      },
    },
    async (request) => products.update(contextOf(request), request.params.id, request.body),
  );

  app.delete(
    '/v1/products/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a product without plans or licenses',
        params: ProductIdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await products.remove(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
