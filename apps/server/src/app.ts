import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { healthRoutes } from './modules/health/health.routes.ts';
import { productRoutes } from './modules/products/products.routes.ts';
import { ProductsService } from './modules/products/products.service.ts';
import { tokenLookup } from './modules/tokens/tokens.read.ts';
import { bearerAuth } from './platform/auth/bearer.ts';
import { type Clock, systemClock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import { type Database, openDatabase } from './platform/db/database.ts';
import { migrate } from './platform/db/migrate.ts';
import { registerErrorHandling } from './platform/http/error-handler.ts';
import { ErrorResponse } from './platform/http/error-schema.ts';
import { registerRequestMetrics } from './platform/http/request-metrics.ts';
import type { App } from './platform/http/types.ts';
import { registerWeb } from './platform/http/web.ts';
import { loggerOptions } from './platform/logger.ts';
import { Metrics } from './platform/metrics.ts';

export interface BuildOptions {
  /** Injected clock (tests); defaults to the system clock. */
  clock?: Clock;
  /** An already-open database (tests share one per file); otherwise opened from config and closed with the app. */
  database?: Database;
  /** Skip applying migrations (the caller already did). */
  skipMigrations?: boolean;
  /** Collect Node process metrics (only for the real server: a registry per test app would be wasteful). */
  processMetrics?: boolean;
}

export interface Services {
  products: ProductsService;
}

export interface Keyward {
  app: App;
  services: Services;
  database: Database;
  clock: Clock;
  metrics: Metrics;
  config: Config;
  close(): Promise<void>;
}

/** The one place where dependencies are wired. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<Keyward> {
  const clock = options.clock ?? systemClock;
  const ownsDatabase = !options.database;
  const database = options.database ?? (await openDatabase(config.database));
  if (!options.skipMigrations) await migrate(database.db);
  const { db } = database;
  const metrics = new Metrics(options.processMetrics ?? false);

  const app = Fastify({
    logger: loggerOptions(config),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: true,
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorateRequest('actor', null);
  app.addSchema(ErrorResponse);
  registerErrorHandling(app);
  registerRequestMetrics(app, metrics);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Keyward API',
        version: '1',
        description:
          'Admin API (bearer API tokens) and client API (the license key is the credential) of Keyward, the ' +
          'self-hosted license platform. Errors share one shape: `{ error: { code, message, details? } }`.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await registerWeb(app);

  const services: Services = {
    products: new ProductsService({ db, clock }),
  };

  healthRoutes(app, { database, metrics });

  // Admin API: every route in this scope needs a bearer token.
  await app.register(async (admin: App) => {
    admin.addHook('onRequest', bearerAuth(tokenLookup(db, clock)));
    productRoutes(admin, services.products);
  });

  return {
    app,
    services,
    database,
    clock,
    metrics,
    config,
    async close() {
      await app.close();
      if (ownsDatabase) await database.close();
    },
  };
}
