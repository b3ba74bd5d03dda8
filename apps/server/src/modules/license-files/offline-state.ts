import type { Db } from '../../platform/db/database.ts';
import { entitlementsOfLicense } from '../entitlements/entitlements.read.ts';
import type { FlagsReader, UsageReader } from '../entitlements/entitlements.types.ts';
import { flagBundleForLicense } from '../flags/flags.read.ts';
import { findLicenseRefs } from '../properties/properties.read.ts';
import type { OfflineStateReader } from './license-files.service.ts';

export interface OfflineStateDeps {
  db: Db;
  expiringWindowDays: number;
  usage: UsageReader;
  flags: FlagsReader;
}

/**
 * What a license file carries besides the license (docs/license-files.md, "Entitlements and flags"): the same state
 * the entitlements check returns at check-out time (usage included), and the license's flag bundle — definitions with
 * per-customer toggles narrowed to this license and its account — so the SDK evaluates flags offline.
 */
export function offlineStateReader(deps: OfflineStateDeps): OfflineStateReader {
  const { db, expiringWindowDays, usage, flags } = deps;
  return async (licenseId, now) => {
    const refs = await findLicenseRefs(db, licenseId);
    if (!refs) return {};
    const [entitlements, bundle] = await Promise.all([
      entitlementsOfLicense(db, licenseId, now, { expiringWindowDays, usage, flags }),
      flagBundleForLicense(db, refs, now),
    ]);
    return entitlements ? { entitlements, flags: bundle } : { flags: bundle };
  };
}
