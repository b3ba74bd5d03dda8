/** Placeholder until the flag detail page lands (replaced in the same session). */
export function FlagDetailPage() {
  return null;
}
