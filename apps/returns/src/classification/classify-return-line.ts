import type { ReturnClass } from '@app/contracts';
import { daysBetween } from '@app/kernel';

/** What the R-RET-2 table reads from one line of a return application. */
export interface ClassifiableLine {
  /** The dealer's receipt date of the goods (YYYY-MM-DD). */
  receiptDate: string;
  /** The consumer sale date, null for unsold stock. */
  saleDate: string | null;
  /** The dealer attempted a repair and it failed (the dealer declares it by sending the goods back). */
  repairAttempted: boolean;
  transportDamage: boolean;
}

/** The terms of DOMAIN §2 the table needs (from the agreement in force in the application month, R-AGR-1). */
export interface ClassificationTerms {
  doaDays: number;
  qualityDays: number;
  warrantyMonths: number;
}

/** A batch defect declared by after-sales that this line falls in. */
export interface BatchDefectMatch {
  id: string;
  reason: string;
}

export interface LineClassification {
  /** The class the table gives, in the order DOA, QUALITY, BATCH_DEFECT, IN_WARRANTY, OUT_OF_WARRANTY. */
  computedClass: ReturnClass;
  /** Every class whose conditions hold — what an approver may pick. */
  allowedClasses: ReturnClass[];
  /** Human-readable reason for the computed class and for each class not allowed. */
  reason: string;
  /** Last day the warranty covers (start + warrantyMonths, same day of month, clamped to the month's end). */
  warrantyEnds: string;
}

export const CLASS_ORDER: readonly ReturnClass[] = ['DOA', 'QUALITY', 'BATCH_DEFECT', 'IN_WARRANTY', 'OUT_OF_WARRANTY'];

/** `date` + `months` calendar months, the day clamped to the target month's last day (2026-01-31 + 1 → 2026-02-28). */
export function addMonthsToDate(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Whether one class holds for a line, and why (or why not). */
interface ClassTest {
  holds: boolean;
  note: string;
}

/** DOA: application date − receipt date ≤ doaDays, no transport damage, repair attempted and failed. */
function doaTest(line: ClassifiableLine, terms: ClassificationTerms, applicationDate: string): ClassTest {
  const sinceReceipt = daysBetween(line.receiptDate, applicationDate);
  const doaWindow = sinceReceipt <= terms.doaDays;
  if (doaWindow && !line.transportDamage && line.repairAttempted) {
    return {
      holds: true,
      note: `DOA: applied ${sinceReceipt} day(s) after the dealer's receipt (≤ ${terms.doaDays}), no transport damage, repair attempted and failed`,
    };
  }
  const why = !doaWindow
    ? `applied ${sinceReceipt} day(s) after the dealer's receipt (> ${terms.doaDays})`
    : line.transportDamage
      ? 'transport damage'
      : 'no repair attempted';
  return { holds: false, note: `not DOA: ${why}` };
}

/** QUALITY: sold, application date − sale date ≤ qualityDays, repair attempted and failed. */
function qualityTest(line: ClassifiableLine, terms: ClassificationTerms, applicationDate: string): ClassTest {
  if (line.saleDate === null) return { holds: false, note: 'not QUALITY: unsold stock' };
  const sinceSale = daysBetween(line.saleDate, applicationDate);
  if (sinceSale <= terms.qualityDays && line.repairAttempted) {
    return {
      holds: true,
      note: `QUALITY: applied ${sinceSale} day(s) after the consumer sale (≤ ${terms.qualityDays}), repair attempted and failed`,
    };
  }
  return {
    holds: false,
    note: `not QUALITY: ${sinceSale > terms.qualityDays ? `applied ${sinceSale} day(s) after the consumer sale (> ${terms.qualityDays})` : 'no repair attempted'}`,
  };
}

/** IN_WARRANTY up to the warranty end (sale date, or receipt date for unsold stock, + warrantyMonths), else OUT_OF_WARRANTY. */
function warrantyClass(
  line: ClassifiableLine,
  terms: ClassificationTerms,
  applicationDate: string,
): { returnClass: ReturnClass; note: string; warrantyEnds: string } {
  const start = line.saleDate ?? line.receiptDate;
  const warrantyEnds = addMonthsToDate(start, terms.warrantyMonths);
  const from = `${terms.warrantyMonths} month(s) from ${line.saleDate === null ? "the dealer's receipt (unsold)" : 'the consumer sale'} ${start}`;
  return applicationDate <= warrantyEnds
    ? { returnClass: 'IN_WARRANTY', note: `IN_WARRANTY: applied on or before ${warrantyEnds}, ${from}`, warrantyEnds }
    : { returnClass: 'OUT_OF_WARRANTY', note: `OUT_OF_WARRANTY: applied after ${warrantyEnds}, ${from}`, warrantyEnds };
}

/**
 * R-RET-2: classifies one line from its dates and flags as of the application date.
 * - DOA: application date − receipt date ≤ doaDays (day 7 in, day 8 out), no transport damage, repair attempted and failed.
 * - QUALITY: sold, application date − sale date ≤ qualityDays (day 15 in, day 16 out), repair attempted and failed.
 * - BATCH_DEFECT: the line falls in a batch after-sales declared defective.
 * - IN_WARRANTY: application date ≤ warranty end (sale date, or receipt date for unsold stock, + warrantyMonths).
 * - OUT_OF_WARRANTY: after the warranty end.
 * IN_WARRANTY stays allowed for a DOA or QUALITY line (an approver may judge the failure not proven);
 * OUT_OF_WARRANTY is allowed only after the warranty end.
 */
export function classifyReturnLine(
  line: ClassifiableLine,
  terms: ClassificationTerms,
  applicationDate: string,
  batchDefect?: BatchDefectMatch | null,
): LineClassification {
  const allowed: ReturnClass[] = [];
  const notes: string[] = [];
  const doa = doaTest(line, terms, applicationDate);
  if (doa.holds) allowed.push('DOA');
  notes.push(doa.note);
  const quality = qualityTest(line, terms, applicationDate);
  if (quality.holds) allowed.push('QUALITY');
  notes.push(quality.note);
  if (batchDefect) {
    allowed.push('BATCH_DEFECT');
    notes.push(`BATCH_DEFECT: in batch defect ${batchDefect.id} (${batchDefect.reason})`);
  }
  const warranty = warrantyClass(line, terms, applicationDate);
  allowed.push(warranty.returnClass);
  notes.push(warranty.note);
  const computedClass = CLASS_ORDER.find((c) => allowed.includes(c))!;
  return {
    computedClass,
    allowedClasses: CLASS_ORDER.filter((c) => allowed.includes(c)),
    reason: notes.join('; '),
    warrantyEnds: warranty.warrantyEnds,
  };
}
