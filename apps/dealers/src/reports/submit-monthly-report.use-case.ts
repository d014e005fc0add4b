import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MonthlyReportSubmitted } from '@app/contracts';
import { formatMoney, shanghaiDate } from '@app/kernel';
import { OutboxService } from '@app/messaging';
import { AuditLogService, Clock, Principal, ProblemException, validationProblem } from '@app/platform';
import { MonthClosingService } from '../month-closing/month-closing.service';
import { DealersService } from '../registry/dealers.service';
import { MonthlyReportView } from './monthly-report.dto';
import { ReportQueries } from './report-queries';
import {
  checkPartContent,
  isOnTime,
  isReportableMonth,
  PART_KEY,
  PartContent,
  REPORT_PARTS,
  ReportPart,
  ReportParts,
  reportDueAtFor,
  reportFigures,
  reportFlags,
  SalesContent,
} from './report-rules';

export type SubmissionSource = 'API' | 'UPLOAD';

export function reportClosedProblem(dealerCode: string, month: string): ProblemException {
  return new ProblemException({
    status: 409,
    type: 'report-closed',
    code: 'REPORT_CLOSED',
    detail: `The ${month} report of dealer ${dealerCode} is closed: its quarter is approved and nothing of the month changes any more.`,
  });
}

export function futureMonthProblem(month: string, now: Date): ProblemException {
  return new ProblemException({
    status: 422,
    type: 'report-month-not-started',
    code: 'REPORT_MONTH_NOT_STARTED',
    detail: `A report for ${month} cannot be submitted before that month (today is ${shanghaiDate(now)} in Asia/Shanghai).`,
  });
}

/** Canonical stored form of a part (amounts with two places). */
function normalise(part: ReportPart, content: PartContent): PartContent {
  if (part !== 'SALES') return content;
  return {
    lines: (content as SalesContent).lines.map((l) => ({
      outlet: l.outlet,
      model: l.model,
      units: l.units,
      amount: formatMoney(l.amount),
    })),
  };
}

/**
 * Stores each given part of a month's report as its next version (R-REP-1), recomputes the
 * report's figures and flags (R-REP-2), fixes its due time and first submission when the
 * sales statistics first come in, and publishes MonthlyReportSubmitted per part — one transaction.
 */
@Injectable()
export class SubmitMonthlyReportUseCase {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dealers: DealersService,
    private readonly closing: MonthClosingService,
    private readonly queries: ReportQueries,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  /** Refuses a month that cannot take changes: unknown dealer (404), a later month (422), closed (409). */
  async assertOpen(dealerCode: string, month: string): Promise<void> {
    await this.dealers.requireExisting(dealerCode);
    const now = this.clock.now();
    if (!isReportableMonth(month, now)) throw futureMonthProblem(month, now);
    if (await this.closing.isClosed(dealerCode, month)) throw reportClosedProblem(dealerCode, month);
  }

  async execute(
    dealerCode: string,
    month: string,
    parts: ReportParts,
    actor: Principal,
    source: SubmissionSource,
  ): Promise<MonthlyReportView> {
    const given = REPORT_PARTS.filter((p) => parts[p] !== undefined);
    if (given.length === 0) {
      throw validationProblem([
        {
          field: 'body',
          rule: 'atLeastOnePart',
          message: `give at least one part: ${REPORT_PARTS.map((p) => PART_KEY[p]).join(', ')}`,
        },
      ]);
    }
    const issues = given.flatMap((p) =>
      checkPartContent(p, parts[p]!, month).map((i) => ({ ...i, field: `${PART_KEY[p]}.${i.field}` })),
    );
    if (issues.length) throw validationProblem(issues);
    await this.assertOpen(dealerCode, month);

    return this.db.transaction(async (em) => {
      const now = this.clock.now();
      // FOR SHARE on the dealer, as the card batches do: a QuarterApproved being applied (FOR UPDATE)
      // either commits before this submission reads closed_months or waits until it is in.
      await em.query('SELECT 1 FROM dealers WHERE code = $1 FOR SHARE', [dealerCode]);
      await em.query(
        `INSERT INTO monthly_reports (dealer_code, month, figures, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (dealer_code, month) DO NOTHING`,
        [dealerCode, month, JSON.stringify(reportFigures({})), now],
      );
      // The report row serialises submissions of one dealer's month: versions stay gapless.
      const [report]: Array<{ first_submitted_at: Date | null; due_at: Date | null }> = await em.query(
        `SELECT first_submitted_at, due_at FROM monthly_reports WHERE dealer_code = $1 AND month = $2 FOR UPDATE`,
        [dealerCode, month],
      );
      if (await this.closing.isClosed(dealerCode, month, em)) throw reportClosedProblem(dealerCode, month);

      const versions: Partial<Record<ReportPart, number>> = {};
      for (const part of given) {
        const [{ version }]: Array<{ version: number }> = await em.query(
          `INSERT INTO monthly_report_parts (dealer_code, month, part, version, content, source, submitted_by, submitted_at)
           SELECT $1::varchar, $2::char(7), $3::varchar, COALESCE(MAX(version), 0) + 1, $4::jsonb, $5::varchar, $6::varchar, $7::timestamptz
             FROM monthly_report_parts WHERE dealer_code = $1::varchar AND month = $2::char(7) AND part = $3::varchar
           RETURNING version`,
          [dealerCode, month, part, JSON.stringify(normalise(part, parts[part]!)), source, actor.sub, now],
        );
        versions[part] = version;
      }

      const latest: ReportParts = {};
      for (const row of await this.queries.latestParts(dealerCode, month, em)) {
        (latest as Record<string, unknown>)[row.part] = row.content;
      }
      const figures = reportFigures(latest);
      const flags = reportFlags(figures);
      let firstSubmittedAt = report.first_submitted_at;
      let dueAt = report.due_at;
      if (!firstSubmittedAt && given.includes('SALES')) {
        // DOMAIN §3: submitted once the sales statistics are in; timeliness judged by the terms in force now.
        firstSubmittedAt = now;
        dueAt = reportDueAtFor(await this.queries.dueDayVersions(dealerCode, em), month);
      }
      const effectiveDueAt = dueAt ?? reportDueAtFor(await this.queries.dueDayVersions(dealerCode, em), month);
      await em.query(
        `UPDATE monthly_reports SET figures = $3, flags = $4, first_submitted_at = $5, due_at = $6, updated_at = $7
          WHERE dealer_code = $1 AND month = $2`,
        [dealerCode, month, JSON.stringify(figures), flags, firstSubmittedAt, dueAt, now],
      );

      const onTime = isOnTime(firstSubmittedAt, effectiveDueAt);
      const callbacksBelowMinimum = flags.includes('CALLBACKS_BELOW_MINIMUM');
      await this.outbox.enqueue(
        em,
        given.map((part) => ({
          definition: MonthlyReportSubmitted,
          dealerCode,
          payload: {
            dealerCode,
            month,
            part,
            partVersion: versions[part]!,
            firstSubmittedAt: firstSubmittedAt?.toISOString() ?? null,
            dueAt: effectiveDueAt.toISOString(),
            onTime,
            unitsSold: figures.unitsSold,
            surveyed: figures.surveyed,
            satisfied: figures.satisfied,
            repairs: figures.repairs,
            callbacks: figures.callbacks,
            callbacksBelowMinimum,
          },
        })),
      );
      await this.audit.record(em, {
        action: 'monthly-report.submitted',
        entityType: 'monthly-report',
        entityId: `${dealerCode}/${month}`,
        dealerCode,
        details: { source, versions, figures, flags },
      });
      return this.queries.get(dealerCode, month, em);
    });
  }
}
