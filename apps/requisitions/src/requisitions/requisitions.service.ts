import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { RequisitionApproved, RequisitionShipped } from '@app/contracts';
import { DealerDirectoryService } from '@app/dealer-directory';
import { MAX_AMOUNT, monthOfDate } from '@app/kernel';
import { OutboxService } from '@app/messaging';
import {
  assertDealerAccess,
  AuditLogService,
  dealerNotYetKnownProblem,
  decodePageCursor,
  notFoundProblem,
  Page,
  Principal,
  ProblemException,
  toPage,
  validationProblem,
} from '@app/platform';
import { Clock } from '@app/platform';
import { FundBalanceProjection } from '../fund-balance/fund-balance.projection';
import { oldPartsDueOn, oldPartsOutstanding } from '../old-parts/old-parts-rules';
import { PriceListService } from '../price-list/price-list.service';
import {
  ApproveRequisitionDto,
  FileRequisitionDto,
  ListRequisitionsQuery,
  RequisitionLineView,
  RequisitionPreviewView,
  RequisitionView,
} from './requisition.dto';
import { checkFiledLines, linesOverAmountLimit, planApproval, summariseCharges, valueLines } from './requisition-rules';
import {
  LineRow,
  loadRequisition,
  loadRequisitions,
  LoadedRequisition,
  REQUISITION_COLUMNS,
  RequisitionRow,
} from './requisition.store';

function lineView(l: LineRow, shipped: boolean): RequisitionLineView {
  const owesOldParts = l.purpose === 'WARRANTY' && (l.approvedQuantity ?? 0) > 0;
  const invoiced = l.invoicedQuantity !== null;
  return {
    lineId: l.id,
    lineNo: l.lineNo,
    partNo: l.partNo,
    quantity: l.quantity,
    purpose: l.purpose,
    repairTickets: l.repairTickets,
    approvedQuantity: l.approvedQuantity,
    cutReason: l.cutReason,
    partName: l.partName,
    listPrice: l.listPrice,
    costPrice: l.costPrice,
    amount: l.amount,
    chargeTo: l.chargeTo,
    oldParts:
      owesOldParts && shipped
        ? {
            owed: l.approvedQuantity ?? 0,
            received: l.oldPartsReceived,
            outstanding: oldPartsOutstanding({
              purpose: l.purpose,
              approvedQuantity: l.approvedQuantity ?? 0,
              received: l.oldPartsReceived,
              invoiced,
            }),
            invoicedQuantity: l.invoicedQuantity ?? 0,
            invoicedAmount: l.invoicedAmount,
            invoicedOn: l.invoicedOn,
          }
        : null,
  };
}

export function requisitionView(r: LoadedRequisition): RequisitionView {
  const approvedLines = r.lines.filter(
    (l) => (l.approvedQuantity ?? 0) > 0 && l.amount !== null && l.chargeTo !== null,
  );
  return {
    id: r.id,
    dealerCode: r.dealerCode,
    status: r.status,
    urgent: r.urgent,
    note: r.note,
    submittedBy: r.submittedBy,
    submittedAt: r.submittedAt.toISOString(),
    approvedOn: r.approvedOn,
    approvedBy: r.approvedBy,
    termsVersion: r.termsVersion,
    urgentFreightDifference: r.urgentFreightDifference,
    shippedOn: r.shippedOn,
    oldPartsDueOn: r.oldPartsDueOn,
    lines: r.lines.map((l) => lineView(l, r.status === 'SHIPPED')),
    charges:
      r.status === 'SUBMITTED'
        ? null
        : summariseCharges(
            approvedLines.map((l) => ({ amount: l.amount!, chargeTo: l.chargeTo! })),
            r.urgentFreightDifference,
          ),
  };
}

@Injectable()
export class RequisitionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
    private readonly prices: PriceListService,
    private readonly directory: DealerDirectoryService,
    private readonly balances: FundBalanceProjection,
  ) {}

  /** A dealer files a requisition for itself. */
  async file(dto: FileRequisitionDto, principal: Principal): Promise<RequisitionView> {
    const dealerCode = principal.dealerCode!;
    const errors = checkFiledLines(dto.lines);
    if (errors.length) throw validationProblem(errors);
    const dealer = await this.directory.findDealer(dealerCode);
    if (!dealer) {
      throw dealerNotYetKnownProblem([
        {
          field: 'dealer',
          rule: 'knownDealer',
          message: `dealer ${dealerCode} of the token is not known to this service yet`,
        },
      ]);
    }
    if (dealer.status !== 'ACTIVE') {
      throw new ProblemException({
        status: 422,
        type: 'dealer-not-active',
        code: 'DEALER_NOT_ACTIVE',
        detail: `Dealer ${dealerCode} is ${dealer.status} and cannot file requisitions.`,
      });
    }
    const known = await this.prices.versionsOf(dto.lines.map((l) => l.partNo));
    const unknown = dto.lines.flatMap((l, i) =>
      known.has(l.partNo)
        ? []
        : [{ field: `lines[${i}].partNo`, rule: 'knownPart', message: `${l.partNo} is not in the price list` }],
    );
    if (unknown.length) {
      throw new ProblemException({
        status: 422,
        type: 'unknown-part',
        code: 'UNKNOWN_PART',
        detail: `${unknown.length} part(s) are not in the price list.`,
        errors: unknown,
      });
    }
    const id = randomUUID();
    await this.db.transaction(async (em) => {
      await em.query(
        `INSERT INTO requisitions (id, dealer_code, status, urgent, note, submitted_by, submitted_at) VALUES ($1, $2, 'SUBMITTED', $3, $4, $5, $6)`,
        [id, dealerCode, dto.urgent, dto.note ?? null, principal.sub, this.clock.now()],
      );
      await em.query(
        `INSERT INTO requisition_lines (id, requisition_id, line_no, part_no, quantity, purpose, repair_tickets)
         SELECT u.id, $1, u.line_no, u.part_no, u.quantity, u.purpose, ARRAY(SELECT jsonb_array_elements_text(u.tickets))
         FROM unnest($2::uuid[], $3::int[], $4::text[], $5::int[], $6::text[], $7::jsonb[]) AS u(id, line_no, part_no, quantity, purpose, tickets)`,
        [
          id,
          dto.lines.map(() => randomUUID()),
          dto.lines.map((_l, i) => i + 1),
          dto.lines.map((l) => l.partNo),
          dto.lines.map((l) => l.quantity),
          dto.lines.map((l) => l.purpose),
          dto.lines.map((l) => JSON.stringify(l.repairTickets ?? [])),
        ],
      );
      await this.audit.record(em, {
        action: 'requisition.filed',
        entityType: 'requisition',
        entityId: id,
        dealerCode,
        details: { urgent: dto.urgent, lines: dto.lines.length },
      });
    });
    return this.get(id, principal);
  }

  /** Before approval: the value at today's prices, each line's charge target and the dealer's fund balance (R-SET-4). */
  async get(id: string, principal: Principal): Promise<RequisitionView> {
    const r = await loadRequisition(this.db.manager, id);
    if (!r) throw notFoundProblem(`Requisition ${id} was not found.`);
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
    const limit = query.limit ?? 100;
    const after = decodePageCursor(query.cursor);
    if (after !== undefined && !/^\d{1,18}$/.test(after))
      throw validationProblem([{ field: 'cursor', rule: 'cursor', message: 'not a cursor returned by this list' }]);
    const heads: RequisitionRow[] = await this.db.query(
      `SELECT ${REQUISITION_COLUMNS} FROM requisitions r
       WHERE ($1::text IS NULL OR r.dealer_code = $1) AND ($2::text IS NULL OR r.status = $2)
         AND ($3::text IS NULL OR to_char(r.submitted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = $3)
         AND ($4::bigint IS NULL OR r.seq > $4)
       ORDER BY r.seq LIMIT $5`,
      [dealer ?? null, query.status ?? null, query.month ?? null, after ?? null, limit + 1],
    );
    const page = toPage(heads, limit, (h) => String(h.seq));
    const loaded = await loadRequisitions(
      this.db.manager,
      page.items.map((h) => h.id),
    );
    return { items: loaded.map(requisitionView), nextCursor: page.nextCursor };
  }

  /**
   * After-sales approves all or some lines. R-PRT-1: valued at the prices in force on the approval date;
   * R-PRT-2: charged per the partsCharging of the terms in force for the approval month; R-PRT-3: urgent freight
   * invoiced to the dealer. R-SET-4: a charge beyond the fund balance is still approved.
   */
  async approve(id: string, dto: ApproveRequisitionDto, principal: Principal): Promise<RequisitionView> {
    await this.db.transaction(async (em) => {
      const r = await this.lockedOrNotFound(em, id);
      if (r.status !== 'SUBMITTED') {
        throw new ProblemException({
          status: 409,
          type: 'requisition-not-submitted',
          code: 'REQUISITION_NOT_SUBMITTED',
          detail: `Requisition ${id} is ${r.status}; only a SUBMITTED requisition can be approved.`,
        });
      }
      const { plan, errors } = planApproval(
        r.lines.map((l) => ({ lineId: l.id, quantity: l.quantity })),
        dto.lines,
        r.urgent,
        dto.urgentFreightDifference,
      );
      if (!plan) throw validationProblem(errors);
      const approvedOn = this.clock.today();
      const terms = await this.directory.termsForMonth(r.dealerCode, monthOfDate(approvedOn), em);
      if (!terms) {
        throw new ProblemException({
          status: 422,
          type: 'no-agreement-terms',
          code: 'NO_AGREEMENT_TERMS',
          detail: `Dealer ${r.dealerCode} has no agreement terms in force for ${monthOfDate(approvedOn)}.`,
        });
      }
      const approved = r.lines
        .map((l) => ({
          lineId: l.id,
          partNo: l.partNo,
          purpose: l.purpose,
          quantity: plan.lines.get(l.id)!.approvedQuantity,
        }))
        .filter((l) => l.quantity > 0);
      const valued = valueLines(
        approved,
        await this.prices.versionsOf(
          approved.map((l) => l.partNo),
          em,
        ),
        approvedOn,
        terms.terms.partsCharging,
      );
      if (valued.missing.length) {
        throw new ProblemException({
          status: 422,
          type: 'price-not-in-force',
          code: 'PRICE_NOT_IN_FORCE',
          detail: `No price in force on ${approvedOn} for ${valued.missing.join(', ')}.`,
        });
      }
      const overLimit = linesOverAmountLimit(valued.lines, new Map(r.lines.map((l, i) => [l.id, i + 1])));
      if (overLimit.length) {
        throw new ProblemException({
          status: 422,
          type: 'amount-over-limit',
          code: 'AMOUNT_OVER_LIMIT',
          detail: `${overLimit.length} line(s) would be worth more than ${MAX_AMOUNT}.`,
          errors: overLimit,
        });
      }
      const byId = new Map(valued.lines.map((l) => [l.lineId, l]));
      for (const line of r.lines) {
        const decision = plan.lines.get(line.id)!;
        const v = byId.get(line.id);
        await em.query(
          `UPDATE requisition_lines SET approved_quantity = $2, cut_reason = $3, part_name = $4, list_price = $5, cost_price = $6, amount = $7, charge_to = $8 WHERE id = $1`,
          [
            line.id,
            decision.approvedQuantity,
            decision.cutReason,
            v?.partName ?? null,
            v?.listPrice ?? null,
            v?.costPrice ?? null,
            v?.amount ?? null,
            v?.chargeTo ?? null,
          ],
        );
      }
      await em.query(
        `UPDATE requisitions SET status = 'APPROVED', approved_on = $2, approved_by = $3, approved_at = $6, terms_version = $4, urgent_freight_difference = $5 WHERE id = $1`,
        [id, approvedOn, principal.sub, terms.version, plan.urgentFreightDifference, this.clock.now()],
      );
      await this.outbox.enqueue(em, [
        {
          definition: RequisitionApproved,
          dealerCode: r.dealerCode,
          payload: {
            dealerCode: r.dealerCode,
            requisitionId: id,
            approvedOn,
            urgent: r.urgent,
            urgentFreightDifference: plan.urgentFreightDifference,
            lines: valued.lines.map((l) => ({
              lineId: l.lineId,
              partNo: l.partNo,
              partName: l.partName,
              quantity: l.quantity,
              purpose: l.purpose,
              listPrice: l.listPrice,
              costPrice: l.costPrice,
              amount: l.amount,
              chargeTo: l.chargeTo,
            })),
          },
        },
      ]);
      const charges = summariseCharges(valued.lines, plan.urgentFreightDifference);
      await this.audit.record(em, {
        action: 'requisition.approved',
        entityType: 'requisition',
        entityId: id,
        dealerCode: r.dealerCode,
        details: {
          approvedOn,
          termsVersion: terms.version,
          charges,
          cuts: [...plan.lines.entries()].filter(([, d]) => d.cutReason).map(([lineId, d]) => ({ lineId, ...d })),
        },
      });
    });
    return this.get(id, principal);
  }

  /** After-sales ships an approved requisition; R-PRT-4: old parts of its WARRANTY lines fall due oldPartReturnDays later. */
  async ship(id: string, principal: Principal): Promise<RequisitionView> {
    await this.db.transaction(async (em) => {
      const r = await this.lockedOrNotFound(em, id);
      if (r.status !== 'APPROVED') {
        throw new ProblemException({
          status: 409,
          type: 'requisition-not-approved',
          code: 'REQUISITION_NOT_APPROVED',
          detail: `Requisition ${id} is ${r.status}; only an APPROVED requisition can be shipped.`,
        });
      }
      const shippedOn = this.clock.today();
      const terms =
        (await this.directory.termsForMonth(r.dealerCode, monthOfDate(shippedOn), em)) ??
        (await this.directory.termsForMonth(r.dealerCode, monthOfDate(r.approvedOn!), em));
      if (!terms)
        throw new ProblemException({
          status: 422,
          type: 'no-agreement-terms',
          code: 'NO_AGREEMENT_TERMS',
          detail: `Dealer ${r.dealerCode} has no agreement terms.`,
        });
      const dueOn = oldPartsDueOn(
        shippedOn,
        terms.terms.oldPartReturnDays,
        r.lines.map((l) => ({ purpose: l.purpose, approvedQuantity: l.approvedQuantity ?? 0 })),
      );
      await em.query(
        `UPDATE requisitions SET status = 'SHIPPED', shipped_on = $2, shipped_by = $3, old_parts_due_on = $4 WHERE id = $1`,
        [id, shippedOn, principal.sub, dueOn],
      );
      await this.outbox.enqueue(em, [
        {
          definition: RequisitionShipped,
          dealerCode: r.dealerCode,
          payload: { dealerCode: r.dealerCode, requisitionId: id, shippedOn, oldPartsDueOn: dueOn },
        },
      ]);
      await this.audit.record(em, {
        action: 'requisition.shipped',
        entityType: 'requisition',
        entityId: id,
        dealerCode: r.dealerCode,
        details: { shippedOn, oldPartsDueOn: dueOn, oldPartReturnDays: terms.terms.oldPartReturnDays },
      });
    });
    return this.get(id, principal);
  }

  async lockedOrNotFound(em: EntityManager, id: string): Promise<LoadedRequisition> {
    const r = await loadRequisition(em, id, true);
    if (!r) throw notFoundProblem(`Requisition ${id} was not found.`);
    return r;
  }
}
