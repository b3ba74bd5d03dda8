import { type Static, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination.ts';

export const ProductCode = Type.String({
  pattern: '^[A-Z][A-Z0-9]{1,11}$',
  description: 'Upper-case key prefix, 2–12 letters/digits starting with a letter (e.g. ACME)',
  examples: ['ACME'],
});

export const Product = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    code: Type.String(),
    name: Type.String(),
    description: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Product' },
);
export type ProductDto = Static<typeof Product>;

export const CreateProductBody = Type.Object(
  {
    code: ProductCode,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false },
);
export type CreateProductInput = Static<typeof CreateProductBody>;

export const UpdateProductBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateProductInput = Static<typeof UpdateProductBody>;

export const ProductIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ListProductsQuery = Type.Object(
  { ...PageQuery, q: Type.Optional(Type.String({ maxLength: 200, description: 'Search code or name' })) },
  { additionalProperties: false },
);
export type ListProductsInput = Static<typeof ListProductsQuery>;
