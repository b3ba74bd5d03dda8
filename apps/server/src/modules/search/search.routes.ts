import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import type { App } from '../../platform/http/types.ts';
import { SearchQuery, SearchResults } from './search.schemas.ts';
import type { SearchService } from './search.service.ts';

/** Admin API: the dashboard's global search over accounts and licenses. */
export function searchRoutes(app: App, search: SearchService): void {
  app.get(
    '/v1/search',
    {
      schema: {
        tags: ['Search'],
        security: [{ bearerAuth: [] }],
        summary: 'Find accounts and licenses by name, domain, CRM id, key or contact email',
        description:
          'Returns up to `limit` accounts and `limit` licenses, each with the field that matched. Product tokens ' +
          'only find licenses of their product.',
        querystring: SearchQuery,
        response: { 200: SearchResults, ...errorResponses },
      },
    },
    async (request) => search.search(contextOf(request), request.query),
  );
}
