import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ReportFigures, ReportPart } from './report-rules';

export interface ReportRow {
  first_submitted_at: Date | null;
  due_at: Date | null;
  figures: ReportFigures;
  flags: string[];
}

export interface PartRow {
  part: ReportPart;
  version: number;
  content: Record<string, unknown>;
  source: 'API' | 'UPLOAD';
  submitted_by: string;
  submitted_at: Date;
}

/** A row of the report list: a dealer's month, with what its status is computed from. */
export type ReportListRow = ReportRow & { dealer_code: string; month: string; closed: boolean; due_day: number | null };

export interface ReportListFilter {
  /** With a month, every registered dealer appears (NOT_SUBMITTED ones too); without, the reports that exist. */
  month: string | null;
  dealer: string | null;
  status: string | null;
  after: { month: string; dealer: string } | null;
  limit: number;
}

export interface NewPartVersion {
  dealerCode: string;
  month: string;
  part: ReportPart;
  content: unknown;
  source: 'API' | 'UPLOAD';
  submittedBy: string;
  submittedAt: Date;
}

/** monthly_reports (one row per dealer and month) and monthly_report_parts (every version of every part). */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findReport(
    dealerCode: string,
    month: string,
    em: EntityManager = this.db.manager,
  ): Promise<ReportRow | undefined> {
    const [row]: ReportRow[] = await em.query(
      `SELECT first_submitted_at, due_at, figures, flags FROM monthly_reports WHERE dealer_code = $1 AND month = $2`,
      [dealerCode, month],
    );
    return row;
  }

  /** Latest version of each part submitted so far (R-REP-1). */
  latestParts(dealerCode: string, month: string, em: EntityManager = this.db.manager): Promise<PartRow[]> {
    return em.query(
      `SELECT DISTINCT ON (part) part, version, content, source, submitted_by, submitted_at
         FROM monthly_report_parts WHERE dealer_code = $1 AND month = $2
        ORDER BY part, version DESC`,
      [dealerCode, month],
    );
  }

  partVersions(dealerCode: string, month: string, part: ReportPart): Promise<PartRow[]> {
    return this.db.query(
      `SELECT part, version, content, source, submitted_by, submitted_at FROM monthly_report_parts
        WHERE dealer_code = $1 AND month = $2 AND part = $3 ORDER BY version`,
      [dealerCode, month, part],
    );
  }

  /** Up to `limit + 1` rows by month and dealer. The SQL status mirrors reportStatus() for filtering only. */
  page(f: ReportListFilter): Promise<ReportListRow[]> {
    const keys = f.month
      ? `SELECT d.code::varchar AS dealer_code, $1::char(7) AS month FROM dealers d`
      : `SELECT dealer_code, month FROM monthly_reports WHERE $1::char(7) IS NULL`;
    return this.db.query(
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
         AND ($4::char(7) IS NULL OR x.month < $4::char(7) OR (x.month = $4::char(7) AND x.dealer_code > $5::varchar))
       ORDER BY x.month DESC, x.dealer_code
       LIMIT $6`,
      [f.month, f.dealer, f.status, f.after?.month ?? null, f.after?.dealer ?? null, f.limit + 1],
    );
  }

  /**
   * The month's report row, created when missing and locked: it serialises submissions of one
   * dealer's month, so part versions stay gapless.
   */
  async lockOrCreate(
    em: EntityManager,
    dealerCode: string,
    month: string,
    emptyFigures: ReportFigures,
    now: Date,
  ): Promise<Pick<ReportRow, 'first_submitted_at' | 'due_at'>> {
    await em.query(
      `INSERT INTO monthly_reports (dealer_code, month, figures, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (dealer_code, month) DO NOTHING`,
      [dealerCode, month, JSON.stringify(emptyFigures), now],
    );
    const [report]: Array<{ first_submitted_at: Date | null; due_at: Date | null }> = await em.query(
      `SELECT first_submitted_at, due_at FROM monthly_reports WHERE dealer_code = $1 AND month = $2 FOR UPDATE`,
      [dealerCode, month],
    );
    return report;
  }

  /** Stores the part's next version and returns its number. */
  async insertPartVersion(em: EntityManager, p: NewPartVersion): Promise<number> {
    const [{ version }]: Array<{ version: number }> = await em.query(
      `INSERT INTO monthly_report_parts (dealer_code, month, part, version, content, source, submitted_by, submitted_at)
       SELECT $1::varchar, $2::char(7), $3::varchar, COALESCE(MAX(version), 0) + 1, $4::jsonb, $5::varchar, $6::varchar, $7::timestamptz
         FROM monthly_report_parts WHERE dealer_code = $1::varchar AND month = $2::char(7) AND part = $3::varchar
       RETURNING version`,
      [p.dealerCode, p.month, p.part, JSON.stringify(p.content), p.source, p.submittedBy, p.submittedAt],
    );
    return version;
  }

  async updateSummary(
    em: EntityManager,
    dealerCode: string,
    month: string,
    s: { figures: ReportFigures; flags: string[]; firstSubmittedAt: Date | null; dueAt: Date | null; now: Date },
  ): Promise<void> {
    await em.query(
      `UPDATE monthly_reports SET figures = $3, flags = $4, first_submitted_at = $5, due_at = $6, updated_at = $7
        WHERE dealer_code = $1 AND month = $2`,
      [dealerCode, month, JSON.stringify(s.figures), s.flags, s.firstSubmittedAt, s.dueAt, s.now],
    );
  }
}
