/** Placeholder until the entitlements catalog lands (replaced in the same session). */
export function EntitlementsCatalogTab() {
  return null;
}
