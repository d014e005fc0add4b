import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { reportDueAt } from '@app/kernel';
import { dealerScope, decodePageCursor, Page, Principal, toPage } from '@app/platform';
import { AgreementsRepository } from '../agreements/agreements.repository';
import { MonthClosingService } from '../month-closing/month-closing.service';
import { DealersService } from '../registry/dealers.service';
import { MonthlyReportView, PartVersionView, ReportListQuery, ReportPartsView } from './monthly-report.dto';
import {
  DEFAULT_REPORT_DUE_DAY,
  DueDayVersion,
  PART_KEY,
  PART_PATH,
  REPORT_PARTS,
  ReportPart,
  reportDueAtFor,
  reportFigures,
  reportStatus,
} from './report-rules';
import { PartRow, ReportListRow, ReportsRepository } from './reports.repository';

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

function toListItem(r: ReportListRow): MonthlyReportView {
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
}

/** Reads of monthly reports; every read works inside a transaction when given its manager. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly agreements: AgreementsRepository,
    private readonly closing: MonthClosingService,
    private readonly dealers: DealersService,
  ) {}

  /** Agreement versions of the dealer, for the due day in force (R-AGR-1). */
  dueDayVersions(dealerCode: string, em?: EntityManager): Promise<DueDayVersion[]> {
    return this.agreements.dueDayVersions(dealerCode, em);
  }

  async get(dealerCode: string, month: string, em?: EntityManager): Promise<MonthlyReportView> {
    await this.dealers.requireExisting(dealerCode, em);
    const row = await this.reports.findReport(dealerCode, month, em);
    const closed = await this.closing.isClosed(dealerCode, month, em);
    const dueAt = row?.due_at ?? reportDueAtFor(await this.dueDayVersions(dealerCode, em), month);
    const latest = row ? await this.reports.latestParts(dealerCode, month, em) : [];
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
    return (await this.reports.partVersions(dealerCode, month, part)).map(toPartVersionView);
  }

  /**
   * Paginated list. With a month, every registered dealer appears (NOT_SUBMITTED ones too);
   * without, the reports that exist.
   */
  async list(query: ReportListQuery, principal: Principal): Promise<Page<MonthlyReportView>> {
    const limit = query.limit ?? 100;
    const after = decodePageCursor(query.cursor);
    const [afterMonth, afterDealer] = after ? after.split('|') : [null, null];
    const rows = await this.reports.page({
      month: query.month ?? null,
      dealer: dealerScope(principal, query.dealer) ?? null,
      status: query.status ?? null,
      after: afterMonth === null ? null : { month: afterMonth, dealer: afterDealer as string },
      limit,
    });
    const page = toPage(rows, limit, (r) => `${r.month}|${r.dealer_code}`);
    return { items: page.items.map(toListItem), nextCursor: page.nextCursor };
  }
}
