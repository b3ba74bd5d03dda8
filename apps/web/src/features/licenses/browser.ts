/** A file name for a license key: the key itself, with only characters file systems refuse replaced. */
export const licenseFileName = (key: string) => `${key.replace(/[/\\:*?"<>|\s]+/g, '_')}.lic`;

/** Saves text as a download (a Blob URL on a temporary link). */
export function saveFile(name: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Copies exactly `text` (no trailing newline added); throws when the browser refuses (no permission, http). */
export async function copyText(text: string): Promise<void> {
  if (!navigator.clipboard) throw new Error('Clipboard not available');
  await navigator.clipboard.writeText(text);
}
