/**
 * @keyward/sdk/openfeature — the OpenFeature server provider. The only entry of the SDK that imports
 * @openfeature/server-sdk (an optional peer dependency); the main entry stays free of runtime dependencies.
 */
export { flagContextOf, LICENSE_FIELDS } from './context.ts';
export {
  KeywardProvider,
  type KeywardProviderOptions,
  type LicenseFileSourceOptions,
  type OnlineSourceOptions,
} from './provider.ts';
export type { SourceKind } from './snapshot.ts';
