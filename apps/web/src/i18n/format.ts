import dayjs from 'dayjs';
import { i18n } from './i18n.ts';

/** 12 Mar 2026 / 12.03.2026 — dates as the user's language writes them. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' }).format(new Date(iso));
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** "in 5 days" / "vor 3 Stunden". */
export function fromNow(iso: string | null | undefined): string {
  return iso ? dayjs(iso).fromNow() : '—';
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(i18n.language).format(n);
}
