/** Placeholder until the flags list lands (replaced in the same session). */
export function FlagsPage() {
  return null;
}
