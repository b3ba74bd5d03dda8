import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { accountRoutes } from './modules/accounts/accounts.routes.ts';
import { AccountsService } from './modules/accounts/accounts.service.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { AuditService } from './modules/audit/audit.service.ts';
import { ActivationService } from './modules/client/activation.service.ts';
import { clientRoutes } from './modules/client/client.routes.ts';
import { ValidationService } from './modules/client/validation.service.ts';
import { ValidationStats } from './modules/client/validation-stats.ts';
import { entitlementClientRoutes, entitlementRoutes } from './modules/entitlements/entitlements.routes.ts';
import { EntitlementsService } from './modules/entitlements/entitlements.service.ts';
import type { FlagsReader, UsageReader } from './modules/entitlements/entitlements.types.ts';
import { flagMetricsRoutes } from './modules/flag-metrics/flag-metrics.routes.ts';
import { FlagMetricsService } from './modules/flag-metrics/flag-metrics.service.ts';
import { ClientFlagsService } from './modules/flags/client-flags.service.ts';
import { CustomerFlagsService } from './modules/flags/customer-flags.service.ts';
import { evaluateFlagsForLicense } from './modules/flags/flags.read.ts';
import { flagRoutes } from './modules/flags/flags.routes.ts';
import { FlagsService } from './modules/flags/flags.service.ts';
import { SegmentsService } from './modules/flags/segments.service.ts';
import { clientFlagRoutes, toggleRoutes } from './modules/flags/toggles.routes.ts';
import { TogglesService } from './modules/flags/toggles.service.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { licenseFileAdminRoutes, licenseFileClientRoutes } from './modules/license-files/license-files.routes.ts';
import { LicenseFilesService } from './modules/license-files/license-files.service.ts';
import { offlineStateReader } from './modules/license-files/offline-state.ts';
import { licenseActionRoutes } from './modules/licenses/license-actions.routes.ts';
import { LicenseActionsService } from './modules/licenses/license-actions.service.ts';
import { canonicalLicenseKey } from './modules/licenses/license-key.ts';
import { licenseRoutes } from './modules/licenses/licenses.routes.ts';
import { LicensesService } from './modules/licenses/licenses.service.ts';
import { machineRoutes } from './modules/machines/machines.routes.ts';
import { MachinesService } from './modules/machines/machines.service.ts';
import { planRoutes } from './modules/plans/plans.routes.ts';
import { PlansService } from './modules/plans/plans.service.ts';
import { productRoutes } from './modules/products/products.routes.ts';
import { ProductsService } from './modules/products/products.service.ts';
import { overrideRoutes } from './modules/properties/overrides.routes.ts';
import { OverridesService } from './modules/properties/overrides.service.ts';
import { planValueRoutes } from './modules/properties/plan-values.routes.ts';
import { PlanValuesService } from './modules/properties/plan-values.service.ts';
import { propertyRoutes } from './modules/properties/properties.routes.ts';
import { PropertiesService } from './modules/properties/properties.service.ts';
import { searchRoutes } from './modules/search/search.routes.ts';
import { SearchService } from './modules/search/search.service.ts';
import { SigningKeyStore } from './modules/signing/key-store.ts';
import { registerResponseSigning } from './modules/signing/response-signing.ts';
import type { Signer } from './modules/signing/signer.ts';
import { publicKeyRoutes, signingKeyAdminRoutes } from './modules/signing/signing.routes.ts';
import { SigningService } from './modules/signing/signing.service.ts';
import { mailOrigin } from './modules/staff-auth/origin.ts';
import { sessionLookup } from './modules/staff-auth/sessions.read.ts';
import { staffSessionsCleanupJob } from './modules/staff-auth/staff-auth.jobs.ts';
import { staffAuthRoutes } from './modules/staff-auth/staff-auth.routes.ts';
import { StaffAuthService } from './modules/staff-auth/staff-auth.service.ts';
import { statsRoutes } from './modules/stats/stats.routes.ts';
import { StatsService } from './modules/stats/stats.service.ts';
import { tokenLookup } from './modules/tokens/tokens.read.ts';
import { tokenRoutes } from './modules/tokens/tokens.routes.ts';
import { TokensService } from './modules/tokens/tokens.service.ts';
import { flagMetricsRetentionJob } from './modules/unleash-api/unleash.jobs.ts';
import { unleashRoutes } from './modules/unleash-api/unleash.routes.ts';
import { UnleashService } from './modules/unleash-api/unleash.service.ts';
import { usageStatesOf } from './modules/usage/usage.read.ts';
import { usageClientRoutes, usageRoutes } from './modules/usage/usage.routes.ts';
import { UsageService } from './modules/usage/usage.service.ts';
import { userRoutes } from './modules/users/users.routes.ts';
import { UsersService } from './modules/users/users.service.ts';
import { bearerAuth } from './platform/auth/bearer.ts';
import { enforceBodyRules } from './platform/auth/permissions.ts';
import { type Clock, systemClock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import { resolveSecret } from './platform/crypto/secret.ts';
import { DatabaseAvailability } from './platform/db/availability.ts';
import { type Database, openDatabase } from './platform/db/database.ts';
import { migrate } from './platform/db/migrate.ts';
import { clientErrorHandler, frameworkErrors, registerErrorHandling } from './platform/http/error-handler.ts';
import { ErrorResponse } from './platform/http/error-schema.ts';
import { ajvPlugins } from './platform/http/formats.ts';
import { registerInputGuard } from './platform/http/input-guard.ts';
import { openApiOptions } from './platform/http/openapi.ts';
import { clientRateLimit, deferredClientRateLimit, RateLimiter } from './platform/http/rate-limit.ts';
import { registerRequestMetrics } from './platform/http/request-metrics.ts';
import type { App } from './platform/http/types.ts';
import { registerWeb } from './platform/http/web.ts';
import { jobRunsPruneJob } from './platform/jobs/housekeeping.ts';
import { JobScheduler } from './platform/jobs/scheduler.ts';
import { type LogStream, loggerOptions } from './platform/logger.ts';
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
  /** Look for due housekeeping jobs in the background (the real server, when config.jobs.enabled). */
  runJobs?: boolean;
  /** Where the log goes instead of stdout (tests that check what is logged). */
  logStream?: LogStream;
}

export interface Services {
  products: ProductsService;
  plans: PlansService;
  accounts: AccountsService;
  tokens: TokensService;
  audit: AuditService;
  licenses: LicensesService;
  licenseActions: LicenseActionsService;
  licenseFiles: LicenseFilesService;
  machines: MachinesService;
  validation: ValidationService;
  activation: ActivationService;
  signing: SigningService;
  users: UsersService;
  staffAuth: StaffAuthService;
  stats: StatsService;
  search: SearchService;
  usage: UsageService;
  properties: PropertiesService;
  planValues: PlanValuesService;
  overrides: OverridesService;
  entitlements: EntitlementsService;
  flags: FlagsService;
  flagSegments: SegmentsService;
  flagToggles: TogglesService;
  customerFlags: CustomerFlagsService;
  clientFlags: ClientFlagsService;
  unleash: UnleashService;
  flagMetrics: FlagMetricsService;
}

export interface Keyward {
  app: App;
  services: Services;
  database: Database;
  clock: Clock;
  metrics: Metrics;
  config: Config;
  /** Signs with the active Ed25519 key (signed responses, license files, signed keys). */
  signer: Signer;
  /** Periodic housekeeping (platform/jobs); started only with `runJobs`. */
  jobs: JobScheduler;
  /** Whether the database can be reached; logs each outage and recovery once. */
  availability: DatabaseAvailability;
  close(): Promise<void>;
}

/** The one place where dependencies are wired. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<Keyward> {
  const clock = options.clock ?? systemClock;
  const secret = resolveSecret(config); // before opening anything: PostgreSQL without KEYWARD_SECRET is refused
  const ownsDatabase = !options.database;
  const database = options.database ?? (await openDatabase(config.database));
  if (!options.skipMigrations) await migrate(database.db);
  const { db } = database;
  const metrics = new Metrics(options.processMetrics ?? false);

  const app = Fastify({
    logger: loggerOptions(config, options.logStream),
    bodyLimit: config.bodyLimitBytes,
    // Slow clients (docs/security.md): a request whose headers or body do not arrive in time gets 408 and its socket
    // is closed; idle keep-alive and silent sockets are closed too. The timeouts are checked every second or more often.
    requestTimeout: config.http.requestTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    connectionTimeout: config.http.socketIdleTimeoutMs,
    http: {
      // Also here: Node checks headersTimeout <= requestTimeout when the server is made, before Fastify sets it.
      requestTimeout: config.http.requestTimeoutMs,
      headersTimeout: config.http.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, config.http.headersTimeoutMs / 4)),
    },
    clientErrorHandler,
    frameworkErrors,
    trustProxy: config.trustProxy,
    ajv: {
      customOptions: {
        removeAdditional: false,
        allErrors: true,
        coerceTypes: 'array',
        useDefaults: true,
        allowUnionTypes: true,
      },
      // ajv-formats with Keyward's date range: a date no database can store is a 400 naming the field.
      plugins: [...ajvPlugins],
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorateRequest('actor', null);
  app.addSchema(ErrorResponse);
  // One log line per database outage and recovery; every part that meets "cannot reach the database" reports here.
  const availability = new DatabaseAvailability({ ping: () => sql`select 1`.execute(db), log: app.log, clock });
  const stopListening = database.onConnectionError((err) => availability.failed(err));
  registerErrorHandling(app, { availability });
  registerInputGuard(app);
  registerRequestMetrics(app, metrics);
  await app.register(cookie); // the dashboard's session cookie (docs/dashboard-auth.md)

  await app.register(swagger, openApiOptions);
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await registerWeb(app);

  // Signing keys: the first one is made (and the active one checked against KEYWARD_SECRET) when the app starts.
  const signer = new SigningKeyStore({ db, clock, secret });
  app.addHook('onReady', async () => {
    await signer.ready();
  });
  registerResponseSigning(app, { signer, clock });

  // The entitlements check (and license files) read usage and flags through these two read functions.
  const usage: UsageReader = (refs, effective, now) => usageStatesOf(db, refs, effective, now);
  const flags: FlagsReader = (refs, context, now) => evaluateFlagsForLicense(db, refs, context, now);
  const services: Services = {
    products: new ProductsService({ db, clock }),
    plans: new PlansService({ db, clock }),
    accounts: new AccountsService({ db, clock }),
    tokens: new TokensService({ db, clock }),
    audit: new AuditService({ db }),
    licenses: new LicensesService({ db, clock, expiringWindowDays: config.expiringWindowDays, signer }),
    licenseActions: new LicenseActionsService({ db, clock, expiringWindowDays: config.expiringWindowDays }),
    licenseFiles: new LicenseFilesService({
      db,
      clock,
      signer,
      expiringWindowDays: config.expiringWindowDays,
      offlineState: offlineStateReader({ db, expiringWindowDays: config.expiringWindowDays, usage, flags }),
    }),
    machines: new MachinesService({ db, clock }),
    validation: new ValidationService({
      db,
      clock,
      metrics,
      stats: new ValidationStats({ db: database.counters, log: app.log, availability }),
      expiringWindowDays: config.expiringWindowDays,
    }),
    activation: new ActivationService({ db, clock, metrics, expiringWindowDays: config.expiringWindowDays }),
    signing: new SigningService({ db, clock, secret, store: signer }),
    users: new UsersService({ db, clock, log: app.log, origin: mailOrigin(app, config) }),
    staffAuth: new StaffAuthService({ db, clock, log: app.log, origin: mailOrigin(app, config) }),
    stats: new StatsService({ db, clock, expiringWindowDays: config.expiringWindowDays }),
    search: new SearchService({ db, clock, expiringWindowDays: config.expiringWindowDays }),
    usage: new UsageService({ db, clock }),
    properties: new PropertiesService({ db, clock }),
    planValues: new PlanValuesService({ db, clock }),
    overrides: new OverridesService({ db, clock }),
    entitlements: new EntitlementsService({ db, clock, expiringWindowDays: config.expiringWindowDays, usage, flags }),
    flags: new FlagsService({ db, clock }),
    flagSegments: new SegmentsService({ db, clock }),
    flagToggles: new TogglesService({ db, clock }),
    customerFlags: new CustomerFlagsService({ db, clock }),
    clientFlags: new ClientFlagsService({ db, clock }),
    unleash: new UnleashService({ db, clock }),
    flagMetrics: new FlagMetricsService({ db, clock }),
  };

  healthRoutes(app, { database, availability, metrics });
  publicKeyRoutes(app, services.signing);

  // Client API (outside the admin scope): the license key is the credential; limited per IP and per key.
  const rateLimiter = new RateLimiter({
    db: database.counters,
    clock,
    windowSeconds: config.rateLimit.windowSeconds,
    log: app.log,
    availability,
  });
  // Per-key buckets count the key's canonical form: the lookup's own (docs/client-api.md, "License keys").
  const clientLimits = { ...config.rateLimit, canonicalKey: canonicalLicenseKey };
  clientRoutes(app, {
    validation: services.validation,
    activation: services.activation,
    rateLimit: clientRateLimit(rateLimiter, clientLimits),
    deferredRateLimit: deferredClientRateLimit(rateLimiter, clientLimits),
  });
  licenseFileClientRoutes(app, {
    files: services.licenseFiles,
    rateLimit: clientRateLimit(rateLimiter, clientLimits),
  });
  entitlementClientRoutes(app, {
    entitlements: services.entitlements,
    rateLimit: clientRateLimit(rateLimiter, clientLimits),
  });
  usageClientRoutes(app, {
    usage: services.usage,
    deferredRateLimit: deferredClientRateLimit(rateLimiter, clientLimits),
  });
  clientFlagRoutes(app, {
    clientFlags: services.clientFlags,
    rateLimit: clientRateLimit(rateLimiter, clientLimits),
  });
  // Unleash client API (/api/client/*): a client token in Authorization (docs/feature-flags.md).
  await unleashRoutes(app, { unleash: services.unleash, lookup: tokenLookup(db, clock) });
  // Dashboard sign-in (outside the admin scope: the session cookie is the credential).
  staffAuthRoutes(app, { auth: services.staffAuth, limiter: rateLimiter, limits: config.staff });
  // Housekeeping: each job once per slot across every process on this database (platform/jobs/scheduler.ts).
  const jobs = new JobScheduler({ db, clock, log: app.log, metrics, availability })
    .register(staffSessionsCleanupJob)
    .register(flagMetricsRetentionJob(config.jobs.flagMetricsRetentionDays))
    .register(jobRunsPruneJob);
  if (options.runJobs) app.addHook('onReady', async () => jobs.start());

  // Before the database closes: finish a running job, write buffered validation statistics, finish a rate-limit
  // cleanup.
  app.addHook('onClose', async () => {
    await jobs.stop();
    await services.validation.close();
    await rateLimiter.close();
    availability.close();
    stopListening();
  });

  // Admin API: every route in this scope needs a bearer token.
  await app.register(async (admin: App) => {
    // A bearer token, or a dashboard session cookie whose role the route policy allows (platform/auth/permissions.ts).
    admin.addHook('onRequest', bearerAuth(tokenLookup(db, clock), sessionLookup(db, clock)));
    admin.addHook('preHandler', enforceBodyRules);
    productRoutes(admin, services.products);
    planRoutes(admin, services.plans);
    accountRoutes(admin, services.accounts);
    tokenRoutes(admin, services.tokens);
    auditRoutes(admin, services.audit);
    licenseRoutes(admin, services.licenses);
    licenseActionRoutes(admin, services.licenseActions);
    licenseFileAdminRoutes(admin, services.licenseFiles);
    machineRoutes(admin, services.machines);
    signingKeyAdminRoutes(admin, services.signing);
    userRoutes(admin, services.users);
    statsRoutes(admin, services.stats);
    searchRoutes(admin, services.search);
    usageRoutes(admin, services.usage);
    propertyRoutes(admin, services.properties);
    planValueRoutes(admin, services.planValues);
    overrideRoutes(admin, services.overrides);
    entitlementRoutes(admin, services.entitlements);
    flagRoutes(admin, { flags: services.flags, segments: services.flagSegments });
    toggleRoutes(admin, { toggles: services.flagToggles, customers: services.customerFlags });
    flagMetricsRoutes(admin, services.flagMetrics);
  });

  return {
    app,
    services,
    database,
    clock,
    metrics,
    config,
    signer,
    jobs,
    availability,
    async close() {
      await app.close();
      if (ownsDatabase) await database.close();
    },
  };
}
