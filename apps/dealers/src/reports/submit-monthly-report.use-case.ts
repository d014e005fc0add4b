import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { MonthlyReportSubmitted } from '@app/contracts';
import { formatMoney } from '@app/kernel';
import { OutboxService } from '@app/messaging';
import { AuditLogService, Clock, fieldErrorOf, Principal, validationProblem } from '@app/platform';
import { MonthClosingService } from '../month-closing/month-closing.service';
import { DealersService } from '../registry/dealers.service';
import { MonthlyReportView } from './monthly-report.dto';
import {
  checkPartContent,
  isOnTime,
  isReportableMonth,
  PART_KEY,
  PartContent,
  REPORT_PARTS,
  ReportFigures,
  ReportPart,
  ReportParts,
  reportDueAtFor,
  reportFigures,
  reportFlags,
  SalesContent,
} from './report-rules';
import { ReportClosedProblem, ReportMonthNotStartedProblem } from './reports.problems';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

export type SubmissionSource = 'API' | 'UPLOAD';

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

/** The parts given, each checked (R-REP-1); a 400 when none is given or a part's content is wrong. */
function checkedParts(parts: ReportParts, month: string): ReportPart[] {
  const given = REPORT_PARTS.filter((p) => parts[p] !== undefined);
  if (given.length === 0) {
    const why = {
      key: 'reasons.reports.atLeastOnePart',
      args: { parts: REPORT_PARTS.map((p) => PART_KEY[p]).join(', ') },
    };
    throw validationProblem([fieldErrorOf('body', 'atLeastOnePart', why)]);
  }
  const issues = given.flatMap((p) =>
    checkPartContent(p, parts[p]!, month).map((i) => ({ ...i, field: `${PART_KEY[p]}.${i.field}` })),
  );
  if (issues.length) throw validationProblem(issues);
  return given;
}

/** The report's state after a submission: what is stored and published. */
interface Outcome {
  figures: ReportFigures;
  flags: string[];
  firstSubmittedAt: Date | null;
  dueAt: Date | null;
  effectiveDueAt: Date;
}

/** One submission: who sends which parts of which month, when. */
interface Submission {
  dealerCode: string;
  month: string;
  parts: ReportParts;
  given: ReportPart[];
  actor: Principal;
  source: SubmissionSource;
  now: Date;
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
    private readonly reports: ReportsRepository,
    private readonly reads: ReportsService,
    private readonly dealers: DealersService,
    private readonly closing: MonthClosingService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  /** Refuses a month that cannot take changes: unknown dealer (404), a later month (422), closed (409). */
  async assertOpen(dealerCode: string, month: string): Promise<void> {
    await this.dealers.requireExisting(dealerCode);
    const now = this.clock.now();
    if (!isReportableMonth(month, now)) throw new ReportMonthNotStartedProblem(month, now);
    if (await this.closing.isClosed(dealerCode, month)) throw new ReportClosedProblem(dealerCode, month);
  }

  async execute(
    dealerCode: string,
    month: string,
    parts: ReportParts,
    actor: Principal,
    source: SubmissionSource,
  ): Promise<MonthlyReportView> {
    const given = checkedParts(parts, month);
    await this.assertOpen(dealerCode, month);
    return this.db.transaction(async (em) => {
      const s: Submission = { dealerCode, month, parts, given, actor, source, now: this.clock.now() };
      // FOR SHARE on the dealer, as the card batches do: a QuarterApproved being applied (FOR UPDATE)
      // either commits before this submission reads closed_months or waits until it is in.
      await this.dealers.lockExisting(em, dealerCode);
      const report = await this.reports.lockOrCreate(em, dealerCode, month, reportFigures({}), s.now);
      if (await this.closing.isClosed(dealerCode, month, em)) throw new ReportClosedProblem(dealerCode, month);
      const versions = await this.storeParts(em, s);
      const outcome = await this.recompute(em, s, report);
      await this.reports.updateSummary(em, dealerCode, month, { ...outcome, now: s.now });
      await this.publish(em, s, versions, outcome);
      return this.reads.get(dealerCode, month, em);
    });
  }

  /** Each given part as its next version (R-REP-1). */
  private async storeParts(em: EntityManager, s: Submission): Promise<Partial<Record<ReportPart, number>>> {
    const versions: Partial<Record<ReportPart, number>> = {};
    for (const part of s.given) {
      versions[part] = await this.reports.insertPartVersion(em, {
        dealerCode: s.dealerCode,
        month: s.month,
        part,
        content: normalise(part, s.parts[part]!),
        source: s.source,
        submittedBy: s.actor.sub,
        submittedAt: s.now,
      });
    }
    return versions;
  }

  /** Figures and flags over the latest parts (R-REP-2); the first submission and due time fixed with the first sales statistics. */
  private async recompute(
    em: EntityManager,
    s: Submission,
    report: { first_submitted_at: Date | null; due_at: Date | null },
  ): Promise<Outcome> {
    const latest: ReportParts = {};
    for (const row of await this.reports.latestParts(s.dealerCode, s.month, em)) {
      (latest as Record<string, unknown>)[row.part] = row.content;
    }
    const figures = reportFigures(latest);
    const flags = reportFlags(figures);
    let firstSubmittedAt = report.first_submitted_at;
    let dueAt = report.due_at;
    if (!firstSubmittedAt && s.given.includes('SALES')) {
      // DOMAIN §3: submitted once the sales statistics are in; timeliness judged by the terms in force now.
      firstSubmittedAt = s.now;
      dueAt = reportDueAtFor(await this.reads.dueDayVersions(s.dealerCode, em), s.month);
    }
    const effectiveDueAt = dueAt ?? reportDueAtFor(await this.reads.dueDayVersions(s.dealerCode, em), s.month);
    return { figures, flags, firstSubmittedAt, dueAt, effectiveDueAt };
  }

  /** MonthlyReportSubmitted per part, and the audit entry. */
  private async publish(
    em: EntityManager,
    s: Submission,
    versions: Partial<Record<ReportPart, number>>,
    { figures, flags, firstSubmittedAt, effectiveDueAt }: Outcome,
  ): Promise<void> {
    const { dealerCode, month } = s;
    const onTime = isOnTime(firstSubmittedAt, effectiveDueAt);
    const callbacksBelowMinimum = flags.includes('CALLBACKS_BELOW_MINIMUM');
    await this.outbox.enqueue(
      em,
      s.given.map((part) => ({
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
      details: { source: s.source, versions, figures, flags },
    });
  }
}
