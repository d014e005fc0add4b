import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RequisitionApproved } from '@app/contracts';
import { AgreementVersionFacts, DealerDirectoryService, NoAgreementTermsProblem } from '@app/dealer-directory';
import { monthOfDate } from '@app/kernel';
import { Clock, Principal, problemText, validationProblem } from '@app/platform';
import { PriceListService } from '../price-list/price-list.service';
import { ApproveRequisitionDto, RequisitionView } from './requisition.dto';
import {
  ApprovalPlan,
  documentDate,
  linesOverAmountLimit,
  planApproval,
  summariseCharges,
  ValuedLine,
  valueLines,
} from './requisition-rules';
import { RequisitionChanges } from './requisition-changes';
import { LineApproval, LoadedRequisition, RequisitionsRepository } from './requisitions.repository';
import {
  AmountOverLimitProblem,
  DocumentDateProblem,
  PriceNotInForceProblem,
  RequisitionNotSubmittedProblem,
} from './requisitions.problems';

/** The decision as approval checked it: the plan, the terms it was charged under and the valued lines. */
interface CheckedApproval {
  plan: ApprovalPlan;
  approvedOn: string;
  terms: AgreementVersionFacts;
  valued: ValuedLine[];
}

/**
 * After-sales approves all or some lines, on the approval date of the document (R-SET-10: today when not
 * given, never in the future nor before the filing). R-PRT-1: valued at the prices in force on the approval date;
 * R-PRT-2: charged per the partsCharging of the terms in force for the approval month; R-PRT-3: urgent freight
 * invoiced to the dealer. R-SET-4: a charge beyond the fund balance is still approved.
 */
@Injectable()
export class ApproveRequisitionUseCase {
  constructor(
    private readonly changes: RequisitionChanges,
    private readonly requisitions: RequisitionsRepository,
    private readonly prices: PriceListService,
    private readonly directory: DealerDirectoryService,
    private readonly clock: Clock,
  ) {}

  approve(id: string, dto: ApproveRequisitionDto, principal: Principal): Promise<RequisitionView> {
    const from = {
      status: 'SUBMITTED' as const,
      wrongState: (r: LoadedRequisition) => new RequisitionNotSubmittedProblem(id, r.status),
    };
    return this.changes.apply(id, principal, from, async (em, r) => {
      const checked = await this.check(em, r, dto);
      await this.requisitions.markApproved(em, id, {
        approvedOn: checked.approvedOn,
        approvedBy: principal.sub,
        approvedAt: this.clock.now(),
        termsVersion: checked.terms.version,
        urgentFreightDifference: checked.plan.urgentFreightDifference,
        lines: lineApprovals(r, checked),
      });
      await this.publish(em, r, checked);
    });
  }

  /** The rules in their order: the plan's fields, the approval date, terms in force, a price for every part, the amount limit. */
  private async check(em: EntityManager, r: LoadedRequisition, dto: ApproveRequisitionDto): Promise<CheckedApproval> {
    const { plan, errors } = planApproval(
      r.lines.map((l) => ({ lineId: l.id, quantity: l.quantity })),
      dto.lines,
      r.urgent,
      dto.urgentFreightDifference,
    );
    if (!plan) throw validationProblem(errors);
    const dated = documentDate(
      {
        field: 'approvedOn',
        step: 'approval',
        given: dto.approvedOn,
        follows: { field: 'filedOn', step: 'filing', date: r.filedOn },
      },
      this.clock.today(),
    );
    if (dated.errors.length) throw new DocumentDateProblem(dated.errors);
    const approvedOn = dated.date;
    const month = monthOfDate(approvedOn);
    const terms = await this.directory.termsForMonth(r.dealerCode, month, em);
    if (!terms)
      throw new NoAgreementTermsProblem(problemText('noAgreementTerms.month', { dealerCode: r.dealerCode, month }));
    const approved = r.lines
      .map((l) => ({
        lineId: l.id,
        partNo: l.partNo,
        purpose: l.purpose,
        quantity: plan.lines.get(l.id)!.approvedQuantity,
      }))
      .filter((l) => l.quantity > 0);
    const versions = await this.prices.versionsOf(
      approved.map((l) => l.partNo),
      em,
    );
    const valued = valueLines(approved, versions, approvedOn, terms.terms.partsCharging);
    if (valued.missing.length) throw new PriceNotInForceProblem(approvedOn, valued.missing);
    const overLimit = linesOverAmountLimit(valued.lines, new Map(r.lines.map((l, i) => [l.id, i + 1])));
    if (overLimit.length) throw new AmountOverLimitProblem(overLimit);
    return { plan, approvedOn, terms, valued: valued.lines };
  }

  /** RequisitionApproved for settlement, and the audit entry with the charges and the cuts. */
  private async publish(em: EntityManager, r: LoadedRequisition, c: CheckedApproval): Promise<void> {
    await this.changes.publish(
      em,
      r,
      {
        definition: RequisitionApproved,
        payload: {
          dealerCode: r.dealerCode,
          requisitionId: r.id,
          approvedOn: c.approvedOn,
          urgent: r.urgent,
          urgentFreightDifference: c.plan.urgentFreightDifference,
          lines: c.valued.map((l) => ({
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
      {
        action: 'requisition.approved',
        details: {
          approvedOn: c.approvedOn,
          termsVersion: c.terms.version,
          charges: summariseCharges(c.valued, c.plan.urgentFreightDifference),
          cuts: [...c.plan.lines.entries()].filter(([, d]) => d.cutReason).map(([lineId, d]) => ({ lineId, ...d })),
        },
      },
    );
  }
}

/** Every line of the requisition with its decision; an approved line also with its value and charge target. */
function lineApprovals(r: LoadedRequisition, c: CheckedApproval): LineApproval[] {
  const byId = new Map(c.valued.map((l) => [l.lineId, l]));
  return r.lines.map((line) => {
    const decision = c.plan.lines.get(line.id)!;
    const v = byId.get(line.id);
    return {
      lineId: line.id,
      approvedQuantity: decision.approvedQuantity,
      cutReason: decision.cutReason,
      partName: v?.partName ?? null,
      listPrice: v?.listPrice ?? null,
      costPrice: v?.costPrice ?? null,
      amount: v?.amount ?? null,
      chargeTo: v?.chargeTo ?? null,
    };
  });
}
