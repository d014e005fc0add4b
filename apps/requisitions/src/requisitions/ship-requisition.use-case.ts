import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RequisitionShipped } from '@app/contracts';
import { DealerDirectoryService, NoAgreementTermsProblem } from '@app/dealer-directory';
import { monthOfDate } from '@app/kernel';
import { Clock, Principal, problemText } from '@app/platform';
import { oldPartsDueOn } from '../old-parts/old-parts-rules';
import { RequisitionView } from './requisition.dto';
import { RequisitionChanges } from './requisition-changes';
import { LoadedRequisition, RequisitionsRepository } from './requisitions.repository';
import { RequisitionNotApprovedProblem } from './requisitions.problems';

/** After-sales ships an approved requisition; R-PRT-4: old parts of its WARRANTY lines fall due oldPartReturnDays later. */
@Injectable()
export class ShipRequisitionUseCase {
  constructor(
    private readonly changes: RequisitionChanges,
    private readonly requisitions: RequisitionsRepository,
    private readonly directory: DealerDirectoryService,
    private readonly clock: Clock,
  ) {}

  ship(id: string, principal: Principal): Promise<RequisitionView> {
    const from = {
      status: 'APPROVED' as const,
      wrongState: (r: LoadedRequisition) => new RequisitionNotApprovedProblem(id, r.status),
    };
    return this.changes.apply(id, principal, from, async (em, r) => {
      const shippedOn = this.clock.today();
      const returnDays = await this.oldPartReturnDays(em, r, shippedOn);
      const dueOn = oldPartsDueOn(
        shippedOn,
        returnDays,
        r.lines.map((l) => ({ purpose: l.purpose, approvedQuantity: l.approvedQuantity ?? 0 })),
      );
      await this.requisitions.markShipped(em, id, { shippedOn, shippedBy: principal.sub, oldPartsDueOn: dueOn });
      await this.changes.publish(
        em,
        r,
        {
          definition: RequisitionShipped,
          payload: { dealerCode: r.dealerCode, requisitionId: id, shippedOn, oldPartsDueOn: dueOn },
        },
        { action: 'requisition.shipped', details: { shippedOn, oldPartsDueOn: dueOn, oldPartReturnDays: returnDays } },
      );
    });
  }

  /** The terms of the shipment month, else those the requisition was approved under. */
  private async oldPartReturnDays(em: EntityManager, r: LoadedRequisition, shippedOn: string): Promise<number> {
    const terms =
      (await this.directory.termsForMonth(r.dealerCode, monthOfDate(shippedOn), em)) ??
      (await this.directory.termsForMonth(r.dealerCode, monthOfDate(r.approvedOn!), em));
    if (!terms) throw new NoAgreementTermsProblem(problemText('noAgreementTerms.any', { dealerCode: r.dealerCode }));
    return terms.terms.oldPartReturnDays;
  }
}
