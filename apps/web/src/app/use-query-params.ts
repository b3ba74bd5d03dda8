import { useSearchParams } from 'react-router';

/**
 * The page's URL query as state: `params` to read, `update({ name: value | null })` to set or remove entries
 * (other entries are kept; the history entry is replaced, so filters do not pile up in Back).
 */
export function useQueryParams() {
  const [params, setParams] = useSearchParams();
  const update = (changes: Record<string, string | null>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [name, value] of Object.entries(changes)) {
          if (value) next.set(name, value);
          else next.delete(name);
        }
        return next;
      },
      { replace: true },
    );
  return { params, update };
}
