import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WarrantyCardWithdrawn } from '@app/contracts';
import { OutboxService } from '@app/messaging';
import { AuditLogService, notFoundProblem, Principal, ProblemException } from '@app/platform';
import { MonthClosingService } from '../month-closing/month-closing.service';
import { WarrantyCardEntity } from './warranty-card.entity';
import { WarrantyCardView } from './warranty-card.dto';
import { toCardView } from './warranty-card-queries';

@Injectable()
export class WithdrawWarrantyCardUseCase {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
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
      const dealer: unknown[] = await em.query('SELECT 1 FROM dealers WHERE code = $1 FOR SHARE', [dealerCode]);
      if (dealer.length === 0) throw notFoundProblem(`Dealer ${dealerCode} was not found.`);
      if (await this.monthClosing.isClosed(dealerCode, reportMonth, em)) {
        throw new ProblemException({
          status: 409,
          type: 'report-closed',
          code: 'REPORT_CLOSED',
          detail: `Report ${reportMonth} of ${dealerCode} is closed: its quarter is approved, cards can no longer be withdrawn.`,
        });
      }
      // A card drawn for a callback audit stays until the audit has its answer (R-AUD-1..3):
      // withdrawing it would let a dealer dodge a FALSIFIED finding.
      const sampled: unknown[] = await em.query(
        `SELECT 1 FROM callback_audit_samples s JOIN callback_audits a ON a.id = s.audit_id
          WHERE s.serial = $1 AND a.dealer_code = $2 AND a.report_month = $3
            AND (a.status = 'OPEN' OR s.result IN ('FALSIFIED', 'INCOMPLETE'))`,
        [serial, dealerCode, reportMonth],
      );
      if (sampled.length > 0) {
        throw new ProblemException({
          status: 409,
          type: 'card-under-audit',
          code: 'CARD_UNDER_AUDIT',
          detail: `Card ${serial} is in a callback audit sample and cannot be withdrawn.`,
        });
      }
      // TypeORM answers an UPDATE … RETURNING with [rows, rowCount].
      const [rows]: [Array<{ id: string; batch_id: string }>, number] = await em.query(
        `UPDATE warranty_cards SET status = 'WITHDRAWN', withdrawn_at = now(), withdrawn_by = $4
         WHERE dealer_code = $1 AND report_month = $2 AND serial = $3 AND status = 'ACCEPTED'
         RETURNING id, batch_id`,
        [dealerCode, reportMonth, serial, actor.sub],
      );
      if (rows.length === 0)
        throw notFoundProblem(`No accepted card ${serial} in report ${reportMonth} of ${dealerCode}.`);
      const { id, batch_id: batchId } = rows[0];
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
      return toCardView(await em.findOneByOrFail(WarrantyCardEntity, { id }));
    });
  }
}
