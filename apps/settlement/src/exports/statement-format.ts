import { dec, firstDayOfMonth, lastDayOfMonth, monthsOfQuarter } from '@app/kernel';
import type { CanonicalLine } from '../statements/statement-rules';

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** A fixed-point text with thousands separators: "1234567.50" → "1,234,567.50". */
function grouped(fixed: string): string {
  const [int, frac] = fixed.split('.');
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

/** "1,234,567.50": two places with thousands separators, for people (exports for machines keep "1234567.50"). */
export function readableMoney(value: string): string {
  return grouped(dec(value).toFixed(2));
}

/** "15.00" for a stored "15.0000", "12.345" for "12.3450": at least two places, no trailing zeros beyond. */
export function plainRate(value: string): string {
  const d = dec(value);
  return d.toFixed(Math.max(2, d.decimalPlaces()));
}

/** A rate for people: as plainRate, with thousands separators ("1,000.00"). */
export function readableRate(value: string): string {
  return grouped(plainRate(value));
}

/** "2026-04-05 08:00 +08:00": a business time as people in China read it (Asia/Shanghai has no DST). */
export function shanghaiTime(iso: string): string {
  const local = new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)} +08:00`;
}

/** "2026-04-05T08:00:00+08:00": ISO 8601 with the Shanghai offset, for CSV readers. */
export function shanghaiIso(iso: string): string {
  return `${new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** "2026-07-01 – 2026-09-30": the calendar days of a quarter. */
export function quarterDates(quarter: string): string {
  const months = monthsOfQuarter(quarter);
  return `${firstDayOfMonth(months[0])} – ${lastDayOfMonth(months[months.length - 1])}`;
}

/** "100 × 15.00" or "1,234.00 × 10.00%": what a line's amount was computed from. */
export function lineBasis(l: CanonicalLine): string {
  if (l.quantity !== null && l.rate !== null) return `${l.quantity} × ${readableRate(l.rate)}`;
  if (l.base !== null && l.percent !== null) return `${readableMoney(l.base)} × ${readableRate(l.percent)}%`;
  if (l.quantity !== null) return String(l.quantity);
  return '';
}

/**
 * A line's sources as text, e.g. "cardsByModel: EB-100 100, EB-200 20; agreementVersion: 1":
 * top-level keys apart by ";", nested values inline, nothing of JSON's punctuation.
 */
export function readableSources(sources: Record<string, unknown>): string {
  return Object.entries(sources)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([key, value]) => `${key}: ${inline(value)}`)
    .join('; ');
}

function inline(value: unknown): string {
  if (Array.isArray(value)) return value.map(inline).join(', ');
  if (value !== null && typeof value === 'object')
    return Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => (typeof v === 'object' ? `${k} (${inline(v)})` : `${k} ${inline(v)}`))
      .join(', ');
  return String(value);
}
