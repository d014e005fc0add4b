import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { decodePageCursor, Page, Principal, dealerScope, toPage } from '@app/platform';
import { DealersService } from '../registry/dealers.service';
import { MonthlyReportView, PartVersionView, ReportListQuery, ReportPartsView } from './monthly-report.dto';
import { reportDueAt } from '@app/kernel';
import {
  DEFAULT_REPORT_DUE_DAY,
  DueDayVersion,
  PART_KEY,
  PART_PATH,
  REPORT_PARTS,
  ReportFigures,
  ReportPart,
  reportDueAtFor,
  reportFigures,
  reportStatus,
} from './report-rules';

interface ReportRow {
  first_submitted_at: Date | null;
  due_at: Date | null;
  figures: ReportFigures;
  flags: string[];
}

interface PartRow {
  part: ReportPart;
  version: number;
  content: Record<string, unknown>;
  source: 'API' | 'UPLOAD';
  submitted_by: string;
  submitted_at: Date;
}

const EMPTY_FIGURES = reportFigures({});

export function toPartVersionView(r: PartRow): PartVersionView {
  return {
    part: PART_PATH[r.part],
    version: r.version,
    source: r.source,
    submittedBy: r.submitted_by,
    submittedAt: r.submitted_at.toISOString(),
    content: r.content,
  };
}

/** Reads of monthly reports; every read works inside a transaction when given its manager. */
@Injectable()
export class ReportQueries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dealers: DealersService,
  ) {}

  /** Agreement versions of the dealer, for the due day in force (R-AGR-1). */
  async dueDayVersions(dealerCode: string, em: EntityManager = this.db.manager): Promise<DueDayVersion[]> {
    const rows: Array<{ effective_from: string; report_due_day: number | null }> = await em.query(
      `SELECT effective_from::text AS effective_from, (terms->>'reportDueDay')::int AS report_due_day FROM agreements WHERE dealer_code = $1`,
      [dealerCode],
    );
    return rows.map((r) => ({ effectiveFrom: r.effective_from, reportDueDay: r.report_due_day }));
  }

  /** Latest version of each part submitted so far (R-REP-1). */
  async latestParts(dealerCode: string, month: string, em: EntityManager = this.db.manager): Promise<PartRow[]> {
    return em.query(
      `SELECT DISTINCT ON (part) part, version, content, source, submitted_by, submitted_at
         FROM monthly_report_parts WHERE dealer_code = $1 AND month = $2
        ORDER BY part, version DESC`,
      [dealerCode, month],
    );
  }

  async get(dealerCode: string, month: string, em: EntityManager = this.db.manager): Promise<MonthlyReportView> {
    await this.dealers.requireExisting(dealerCode);
    const [row]: ReportRow[] = await em.query(
      `SELECT first_submitted_at, due_at, figures, flags FROM monthly_reports WHERE dealer_code = $1 AND month = $2`,
      [dealerCode, month],
    );
    const closed =
      (await em.query(`SELECT 1 FROM closed_months WHERE dealer_code = $1 AND month = $2`, [dealerCode, month]))
        .length > 0;
    const dueAt = row?.due_at ?? reportDueAtFor(await this.dueDayVersions(dealerCode, em), month);
    const latest = row ? await this.latestParts(dealerCode, month, em) : [];
    const parts = Object.fromEntries(REPORT_PARTS.map((p) => [PART_KEY[p], null])) as unknown as ReportPartsView;
    for (const r of latest)
      (parts as unknown as Record<string, PartVersionView>)[PART_KEY[r.part]] = toPartVersionView(r);
    return {
      dealerCode,
      month,
      status: reportStatus({ closed, firstSubmittedAt: row?.first_submitted_at ?? null, dueAt }),
      dueAt: dueAt.toISOString(),
      firstSubmittedAt: row?.first_submitted_at?.toISOString() ?? null,
      flags: row?.flags ?? [],
      figures: row?.figures ?? EMPTY_FIGURES,
      parts,
    };
  }

  async versions(dealerCode: string, month: string, part: ReportPart): Promise<PartVersionView[]> {
    await this.dealers.requireExisting(dealerCode);
    const rows: PartRow[] = await this.db.query(
      `SELECT part, version, content, source, submitted_by, submitted_at FROM monthly_report_parts
        WHERE dealer_code = $1 AND month = $2 AND part = $3 ORDER BY version`,
      [dealerCode, month, part],
    );
    return rows.map(toPartVersionView);
  }

  /**
   * Paginated list. With a month, every registered dealer appears (NOT_SUBMITTED ones too);
   * without, the reports that exist. The SQL status mirrors reportStatus() for filtering only.
   */
  async list(query: ReportListQuery, principal: Principal): Promise<Page<MonthlyReportView>> {
    const limit = query.limit ?? 100;
    const after = decodePageCursor(query.cursor);
    const [afterMonth, afterDealer] = after ? after.split('|') : [null, null];
    const keys = query.month
      ? `SELECT d.code::varchar AS dealer_code, $1::char(7) AS month FROM dealers d`
      : `SELECT dealer_code, month FROM monthly_reports WHERE $1::char(7) IS NULL`;
    const rows: Array<ReportRow & { dealer_code: string; month: string; closed: boolean; due_day: number | null }> =
      await this.db.query(
        `SELECT * FROM (
         SELECT k.dealer_code, k.month, r.first_submitted_at, r.due_at, r.figures, r.flags, (c.month IS NOT NULL) AS closed,
                (SELECT (a.terms->>'reportDueDay')::int FROM agreements a
                  WHERE a.dealer_code = k.dealer_code AND a.effective_from <= (k.month || '-01')::date
                  ORDER BY a.effective_from DESC LIMIT 1) AS due_day,
                CASE WHEN c.month IS NOT NULL THEN 'CLOSED'
                     WHEN r.first_submitted_at IS NULL THEN 'NOT_SUBMITTED'
                     WHEN r.first_submitted_at > r.due_at THEN 'LATE'
                     ELSE 'SUBMITTED' END AS status
           FROM (${keys}) k
           LEFT JOIN monthly_reports r ON r.dealer_code = k.dealer_code AND r.month = k.month
           LEFT JOIN closed_months c ON c.dealer_code = k.dealer_code AND c.month = k.month
       ) x
       WHERE ($2::varchar IS NULL OR x.dealer_code = $2)
         AND ($3::varchar IS NULL OR x.status = $3)
         AND ($4::char(7) IS NULL OR (x.month, x.dealer_code) > ($4::char(7), $5::varchar))
       ORDER BY x.month, x.dealer_code
       LIMIT $6`,
        [
          query.month ?? null,
          dealerScope(principal, query.dealer) ?? null,
          query.status ?? null,
          afterMonth,
          afterDealer,
          limit + 1,
        ],
      );
    const page = toPage(rows, limit, (r) => `${r.month}|${r.dealer_code}`);
    return {
      items: page.items.map((r) => {
        const dueAt = r.due_at ?? reportDueAt(r.month, r.due_day ?? DEFAULT_REPORT_DUE_DAY);
        return {
          dealerCode: r.dealer_code,
          month: r.month,
          status: reportStatus({ closed: r.closed, firstSubmittedAt: r.first_submitted_at, dueAt }),
          dueAt: dueAt.toISOString(),
          firstSubmittedAt: r.first_submitted_at?.toISOString() ?? null,
          flags: r.flags ?? [],
          figures: r.figures ?? EMPTY_FIGURES,
        };
      }),
      nextCursor: page.nextCursor,
    };
  }
}
