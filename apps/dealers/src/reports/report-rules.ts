import { REPORT_PARTS, ReportPart } from '@app/contracts';
import {
  compareMonths,
  dec,
  formatMoney,
  isCalendarDate,
  monthOfDate,
  reportDueAt,
  shanghaiDate,
  sumMoney,
} from '@app/kernel';
import { fieldError } from '@app/platform/problem/field-error';

/**
 * Monthly report (DOMAIN §3) as plain data and the rules over it: status, due time,
 * timeliness, the callback minimum (R-REP-2) and the checks that tie fields of one part
 * together. No Nest, no TypeORM.
 */

export interface SalesLine {
  outlet: string;
  model: string;
  units: number;
  amount: string;
}
export interface SalesContent {
  lines: SalesLine[];
}
export interface ReplacedPart {
  partNo: string;
  quantity: number;
}
export interface RepairRecord {
  ticket: string;
  serial: string;
  model: string;
  fault: string;
  repairDate: string;
  inWarranty: boolean;
  parts: ReplacedPart[];
  consumerSigned: boolean;
}
export interface RepairsContent {
  records: RepairRecord[];
}
export interface SatisfactionContent {
  surveyed: number;
  satisfied: number;
}
export interface OpinionLine {
  kind: string;
  count: number;
}
export interface OpinionsContent {
  lines: OpinionLine[];
}
export interface QualityFeedbackLine {
  model: string;
  batch: string;
  problem: string;
  unitsAffected: number;
}
export interface QualityFeedbackContent {
  lines: QualityFeedbackLine[];
}
export interface CallbacksContent {
  callbacksMade: number;
}

export interface PartContents {
  SALES: SalesContent;
  REPAIRS: RepairsContent;
  SATISFACTION: SatisfactionContent;
  OPINIONS: OpinionsContent;
  QUALITY_FEEDBACK: QualityFeedbackContent;
  CALLBACKS: CallbacksContent;
}
export type PartContent = PartContents[ReportPart];
/** Some parts of one report: a submission, or the latest version of each part. */
export type ReportParts = { [P in ReportPart]?: PartContents[P] };

export { REPORT_PARTS };
export type { ReportPart };

/** Part name in paths (kebab-case) ↔ contract enum ↔ JSON key of the whole-report body. */
export const PART_PATH: Record<ReportPart, string> = {
  SALES: 'sales',
  REPAIRS: 'repairs',
  SATISFACTION: 'satisfaction',
  OPINIONS: 'opinions',
  QUALITY_FEEDBACK: 'quality-feedback',
  CALLBACKS: 'callbacks',
};
export const PART_KEY = {
  SALES: 'sales',
  REPAIRS: 'repairs',
  SATISFACTION: 'satisfaction',
  OPINIONS: 'opinions',
  QUALITY_FEEDBACK: 'qualityFeedback',
  CALLBACKS: 'callbacks',
} as const satisfies Record<ReportPart, string>;

export function partFromPath(path: string): ReportPart | undefined {
  return REPORT_PARTS.find((p) => PART_PATH[p] === path);
}

export interface PartIssue {
  field: string;
  rule: string;
  message: string;
}

/**
 * Checks that tie the fields of one part together (field formats are checked before this).
 * `field` is relative to the part, e.g. `records[2].repairDate`.
 */
export function checkPartContent(part: ReportPart, content: PartContent, month: string): PartIssue[] {
  const issues: PartIssue[] = [];
  switch (part) {
    case 'REPAIRS': {
      const seen = new Map<string, number>();
      (content as RepairsContent).records.forEach((r, i) => {
        if (seen.has(r.ticket))
          issues.push(
            fieldError(`records[${i}].ticket`, 'uniqueTicket', 'validation.fields.ticketListed', {
              ticket: r.ticket,
              at: seen.get(r.ticket)!,
            }),
          );
        else seen.set(r.ticket, i);
        if (!isCalendarDate(r.repairDate))
          issues.push(fieldError(`records[${i}].repairDate`, 'calendarDate', 'validation.fields.repairDate'));
        else if (monthOfDate(r.repairDate) !== month)
          issues.push(
            fieldError(`records[${i}].repairDate`, 'inReportMonth', 'validation.fields.repairDateInMonth', { month }),
          );
      });
      break;
    }
    case 'SATISFACTION': {
      const s = content as SatisfactionContent;
      if (s.satisfied > s.surveyed)
        issues.push(fieldError('satisfied', 'satisfiedNotAboveSurveyed', 'validation.fields.satisfiedAboveSurveyed'));
      break;
    }
    case 'OPINIONS': {
      const seen = new Map<string, number>();
      (content as OpinionsContent).lines.forEach((l, i) => {
        if (seen.has(l.kind))
          issues.push(
            fieldError(`lines[${i}].kind`, 'uniqueKind', 'validation.fields.kindListed', {
              kind: l.kind,
              at: seen.get(l.kind)!,
            }),
          );
        else seen.set(l.kind, i);
      });
      break;
    }
    default:
      break;
  }
  return issues;
}

export interface ReportFigures {
  unitsSold: number;
  salesAmount: string;
  repairs: number;
  callbacks: number;
  surveyed: number;
  satisfied: number;
}

/** The figures of a report from the latest version of each part (R-REP-1); a missing part counts as zero. */
export function reportFigures(latest: ReportParts): ReportFigures {
  const lines = latest.SALES?.lines ?? [];
  return {
    unitsSold: lines.reduce((n, l) => n + l.units, 0),
    salesAmount: formatMoney(sumMoney(lines.map((l) => dec(l.amount)))),
    repairs: latest.REPAIRS?.records.length ?? 0,
    callbacks: latest.CALLBACKS?.callbacksMade ?? 0,
    surveyed: latest.SATISFACTION?.surveyed ?? 0,
    satisfied: latest.SATISFACTION?.satisfied ?? 0,
  };
}

/** R-REP-2: callbacks must be at least 25 % of the month's repairs (exact: 4 × callbacks ≥ repairs). */
export function callbacksBelowMinimum(repairs: number, callbacks: number): boolean {
  return callbacks * 4 < repairs;
}

export type ReportFlag = 'CALLBACKS_BELOW_MINIMUM';

/** Flags shown with an accepted report; they never refuse it (R-REP-2). */
export function reportFlags(figures: ReportFigures): ReportFlag[] {
  return callbacksBelowMinimum(figures.repairs, figures.callbacks) ? ['CALLBACKS_BELOW_MINIMUM'] : [];
}

export const REPORT_STATUSES = ['NOT_SUBMITTED', 'SUBMITTED', 'LATE', 'CLOSED'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/**
 * DOMAIN §3: CLOSED once its quarter is approved; otherwise NOT_SUBMITTED until the sales
 * statistics are in; LATE when they first came after the due time; SUBMITTED otherwise.
 */
export function reportStatus(r: { closed: boolean; firstSubmittedAt: Date | null; dueAt: Date }): ReportStatus {
  if (r.closed) return 'CLOSED';
  if (!r.firstSubmittedAt) return 'NOT_SUBMITTED';
  return isOnTime(r.firstSubmittedAt, r.dueAt) ? 'SUBMITTED' : 'LATE';
}

/** First submitted by the due time (23:59:59 Shanghai of the due day is still on time). */
export function isOnTime(firstSubmittedAt: Date | null, dueAt: Date): boolean {
  return firstSubmittedAt !== null && firstSubmittedAt.getTime() <= dueAt.getTime();
}

export const DEFAULT_REPORT_DUE_DAY = 3;

export interface DueDayVersion {
  effectiveFrom: string;
  reportDueDay?: number | null;
}

/**
 * R-AGR-1: the month is governed by the agreement version in force on its first day;
 * without one, the seed default (the 3rd of the next month).
 */
export function reportDueDayForMonth(versions: readonly DueDayVersion[], month: string): number {
  const firstDay = `${month}-01`;
  const inForce = versions
    .filter((v) => v.effectiveFrom <= firstDay)
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0];
  return inForce?.reportDueDay ?? DEFAULT_REPORT_DUE_DAY;
}

export function reportDueAtFor(versions: readonly DueDayVersion[], month: string): Date {
  return reportDueAt(month, reportDueDayForMonth(versions, month));
}

/** A report may be submitted for any month up to the current one in Asia/Shanghai, never for a later month. */
export function isReportableMonth(month: string, now: Date): boolean {
  return compareMonths(month, monthOfDate(shanghaiDate(now))) <= 0;
}
