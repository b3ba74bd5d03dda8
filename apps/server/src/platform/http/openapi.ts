import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';

/**
 * The OpenAPI 3.1 document's frame (served at /openapi.json and /docs): info, tags and security schemes. The paths
 * come from the routes' TypeBox schemas.
 */
export const openApiOptions: FastifyDynamicSwaggerOptions = {
  // Shared schemas keep their $id as their name in components.schemas (e.g. ErrorResponse, not def-0).
  refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'Keyward API',
      version: '1',
      description:
        'Admin API (bearer API tokens) and client API (the license key is the credential) of Keyward, the ' +
        'self-hosted license platform. Errors share one shape: `{ error: { code, message, details? } }`.',
    },
    tags: [
      { name: 'Products', description: 'Products: the software you license; each has a key prefix (code)' },
      {
        name: 'Plans',
        description: 'Plans of a product: license type, duration, grace, machine limits, entitlements',
      },
      { name: 'Accounts', description: 'Customer accounts: companies, contacts, email domains, CRM ids' },
      { name: 'Licenses', description: 'Issue, search, read and edit licenses' },
      { name: 'License actions', description: 'Renew, extend, suspend, reinstate and revoke licenses' },
      { name: 'Machines', description: 'Machines activated on a license (admin view)' },
      {
        name: 'Client API',
        description:
          'Called by licensed software: validate a key, activate, heartbeat, deactivate. The license key is the credential; no bearer token.',
      },
      { name: 'Tokens', description: 'Admin API tokens (admin, read-only, product-scoped); secrets are shown once' },
      { name: 'Audit', description: 'The audit log: who changed what, when, with before/after snapshots' },
      {
        name: 'Signing keys',
        description: 'Ed25519 keys that sign responses, license files and signed keys: public list, rotation',
      },
      { name: 'Stats', description: 'Counters for the dashboard home: licenses by status, ending soon, renewals' },
      { name: 'Search', description: 'Global search over accounts and licenses (the dashboard search bar)' },
      { name: 'Operations', description: 'Health check, Prometheus metrics and this document' },
      {
        name: 'Staff sign-in',
        description: 'Dashboard sign-in: session cookie, CSRF token, password reset (docs/dashboard-auth.md)',
      },
      { name: 'Users', description: 'Dashboard users and their roles (admin only)' },
      {
        name: 'Usage',
        description: 'Metered usage per license and property: counters, corrections, history (docs/usage-metering.md)',
      },
      {
        name: 'Properties',
        description: 'Typed properties of a product (switches, limits, options, JSON) and plan values (templates)',
      },
      { name: 'Overrides', description: 'Per-account and per-license property values with reason, author, expiry' },
      {
        name: 'Entitlements',
        description: 'What a license may do and why: the one check call and the explain of a property',
      },
      {
        name: 'Feature flags',
        description:
          'Flags of a product (Unleash model), segments, per-customer toggles and explain (docs/feature-flags.md)',
      },
      {
        name: 'Unleash client API',
        description:
          'For unmodified Unleash server SDKs: flag definitions, registration and metrics with a client token',
      },
    ],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token: `Authorization: Bearer kw_…`' },
        clientToken: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'A client token (role client), sent as is or as `Bearer kw_…` — the Unleash SDK setup',
        },
      },
    },
  },
};
