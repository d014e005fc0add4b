import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WarrantyCardWithdrawn } from '@app/contracts';
import { OutboxService } from '@app/messaging';
import { AuditLogService, notFoundProblem, Principal, problemText } from '@app/platform';
import { CallbackAuditsRepository } from '../callback-audits/callback-audits.repository';
import { MonthClosingService } from '../month-closing/month-closing.service';
import { DealersService } from '../registry/dealers.service';
import { WarrantyCardView } from './warranty-card.dto';
import { CardReportClosedProblem, CardUnderAuditProblem } from './warranty-cards.problems';
import { WarrantyCardsRepository } from './warranty-cards.repository';
import { toCardView } from './warranty-cards.service';

@Injectable()
export class WithdrawWarrantyCardUseCase {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cards: WarrantyCardsRepository,
    private readonly audits: CallbackAuditsRepository,
    private readonly dealers: DealersService,
    private readonly monthClosing: MonthClosingService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
  ) {}

  /**
   * DOMAIN §3: a dealer withdraws its own accepted card until the month is closed; the card
   * becomes WITHDRAWN, which frees the serial (the unique index covers ACCEPTED cards only).
   */
  async execute(
    dealerCode: string,
    reportMonth: string,
    rawSerial: string,
    actor: Principal,
  ): Promise<WarrantyCardView> {
    const serial = rawSerial.trim().toUpperCase();
    return this.db.transaction(async (em) => {
      // Same lock as card submission: a concurrent QuarterApproved is applied before or after, never during.
      await this.dealers.lockExisting(em, dealerCode);
      if (await this.monthClosing.isClosed(dealerCode, reportMonth, em))
        throw new CardReportClosedProblem(dealerCode, reportMonth);
      // A card drawn for a callback audit stays until the audit has its answer (R-AUD-1..3):
      // withdrawing it would let a dealer dodge a FALSIFIED finding.
      if (await this.audits.holdsCard(em, serial, dealerCode, reportMonth)) throw new CardUnderAuditProblem(serial);
      const withdrawn = await this.cards.markWithdrawn(em, dealerCode, reportMonth, serial, actor.sub);
      if (!withdrawn) throw notFoundProblem(problemText('acceptedCardNotFound', { serial, reportMonth, dealerCode }));
      const { id, batchId } = withdrawn;
      await this.outbox.enqueue(em, [
        { definition: WarrantyCardWithdrawn, dealerCode, payload: { dealerCode, reportMonth, serial, batchId } },
      ]);
      await this.audit.record(em, {
        action: 'warranty-card.withdrawn',
        entityType: 'warranty-card',
        entityId: serial,
        dealerCode,
        details: { reportMonth, batchId, cardId: id },
      });
      return toCardView(await this.cards.findById(em, id));
    });
  }
}
