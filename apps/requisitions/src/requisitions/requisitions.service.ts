import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DealerDirectoryService } from '@app/dealer-directory';
import { monthOfDate } from '@app/kernel';
import {
  assertDealerAccess,
  AuditLogService,
  Clock,
  dealerNotYetKnownProblem,
  decodePageCursor,
  fieldError,
  Page,
  Principal,
  SEQUENCE_KEY,
  validationProblem,
} from '@app/platform';
import { FundBalanceProjection } from '../fund-balance/fund-balance.projection';
import { PriceListService } from '../price-list/price-list.service';
import { FileRequisitionDto, ListRequisitionsQuery, RequisitionPreviewView, RequisitionView } from './requisition.dto';
import { checkFiledLines, documentDate, summariseCharges, valueLines } from './requisition-rules';
import { requisitionView } from './requisition.view';
import { LoadedRequisition, RequisitionsRepository } from './requisitions.repository';
import {
  DealerNotActiveProblem,
  DocumentDateProblem,
  requisitionNotFound,
  UnknownPartProblem,
} from './requisitions.problems';

/** Filing a requisition and reading requisitions (with the preview before approval, R-SET-4). */
@Injectable()
export class RequisitionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly requisitions: RequisitionsRepository,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
    private readonly prices: PriceListService,
    private readonly directory: DealerDirectoryService,
    private readonly balances: FundBalanceProjection,
  ) {}

  /** A dealer files a requisition for itself, dated by the filing date on the form (R-SET-10). */
  async file(dto: FileRequisitionDto, principal: Principal): Promise<RequisitionView> {
    const dealerCode = principal.dealerCode!;
    const errors = checkFiledLines(dto.lines);
    if (errors.length) throw validationProblem(errors);
    const filed = documentDate({ field: 'filedOn', step: 'filing', given: dto.filedOn }, this.clock.today());
    if (filed.errors.length) throw new DocumentDateProblem(filed.errors);
    await this.checkDealerMayFile(dealerCode);
    await this.checkPartsKnown(dto.lines.map((l) => l.partNo));
    const id = randomUUID();
    await this.db.transaction(async (em) => {
      await this.requisitions.insertFiled(em, {
        id,
        dealerCode,
        urgent: dto.urgent,
        note: dto.note ?? null,
        submittedBy: principal.sub,
        submittedAt: this.clock.now(),
        filedOn: filed.date,
        lines: dto.lines,
      });
      await this.audit.record(em, {
        action: 'requisition.filed',
        entityType: 'requisition',
        entityId: id,
        dealerCode,
        details: { filedOn: filed.date, urgent: dto.urgent, lines: dto.lines.length },
      });
    });
    return this.get(id, principal);
  }

  /** The dealer of the token must be known here (its registration may still be on its way) and ACTIVE. */
  private async checkDealerMayFile(dealerCode: string): Promise<void> {
    const dealer = await this.directory.findDealer(dealerCode);
    if (!dealer) {
      throw dealerNotYetKnownProblem([
        fieldError('dealer', 'knownDealer', 'validation.fields.tokenDealerNotKnown', { code: dealerCode }),
      ]);
    }
    if (dealer.status !== 'ACTIVE') throw new DealerNotActiveProblem(dealerCode, dealer.status);
  }

  /** Every filed part is in the price list (its price may take effect later: valued at approval, R-PRT-1). */
  private async checkPartsKnown(partNos: readonly string[]): Promise<void> {
    const known = await this.prices.versionsOf(partNos);
    const unknown = partNos.flatMap((partNo, i) =>
      known.has(partNo)
        ? []
        : [fieldError(`lines[${i}].partNo`, 'knownPart', 'validation.fields.partNotInPriceList', { partNo })],
    );
    if (unknown.length) throw new UnknownPartProblem(unknown);
  }

  /** Before approval: the value at today's prices, each line's charge target and the dealer's fund balance (R-SET-4). */
  async get(id: string, principal: Principal): Promise<RequisitionView> {
    const r = await this.requisitions.find(id);
    if (!r) throw requisitionNotFound(id);
    assertDealerAccess(principal, r.dealerCode);
    const view = requisitionView(r);
    if (r.status === 'SUBMITTED') {
      view.preview = await this.preview(r);
      view.fundBalance = await this.balances.balanceOf(r.dealerCode);
    }
    return view;
  }

  private async preview(r: LoadedRequisition): Promise<RequisitionPreviewView> {
    const today = this.clock.today();
    const terms = await this.directory.termsForMonth(r.dealerCode, monthOfDate(today));
    const versions = await this.prices.versionsOf(r.lines.map((l) => l.partNo));
    const toValue = r.lines.map((l) => ({ lineId: l.id, partNo: l.partNo, quantity: l.quantity, purpose: l.purpose }));
    const valued = valueLines(
      toValue,
      versions,
      today,
      terms?.terms.partsCharging ?? { warranty: 'ALLOWANCE', stock: 'ALLOWANCE' },
    );
    const byId = new Map(valued.lines.map((l) => [l.lineId, l]));
    return {
      valuedOn: today,
      termsVersion: terms?.version ?? null,
      lines: r.lines.map((l) => {
        const v = byId.get(l.id);
        return {
          lineId: l.id,
          partName: v?.partName ?? null,
          listPrice: v?.listPrice ?? null,
          amount: v?.amount ?? null,
          chargeTo: terms && v ? v.chargeTo : null,
        };
      }),
      missingPrices: valued.missing,
      charges: terms && valued.missing.length === 0 ? summariseCharges(valued.lines, null) : null,
    };
  }

  async list(query: ListRequisitionsQuery, dealer: string | undefined): Promise<Page<RequisitionView>> {
    const page = await this.requisitions.page({
      dealer: dealer ?? null,
      status: query.status ?? null,
      month: query.month ?? null,
      after: decodePageCursor(query.cursor, SEQUENCE_KEY) ?? null,
      limit: query.limit ?? 100,
    });
    return { items: page.items.map(requisitionView), nextCursor: page.nextCursor };
  }
}
