import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ReturnClosed } from '@app/contracts';
import { OutboxService } from '@app/messaging';
import { AuditLogService, Clock, Principal } from '@app/platform';
import { documentDate } from '../applications/application-rules';
import { ReturnView } from '../applications/return.dto';
import { ReturnApplicationEntity } from '../applications/return.entity';
import { ReturnViews } from '../applications/return-views';
import { ReturnsRepository } from '../applications/returns.repository';
import { PartPricesProjection } from '../price-list/part-prices.projection';
import { assessReturnCharges, ChargeAssessment, RefurbishmentPart } from './assess-return-charges';
import { InvalidChargesProblem, NoListPriceProblem } from './charges.problems';
import { CloseReturnDto } from './close-return.dto';
import { UsedPart, valueRefurbishmentParts } from './part-valuation-rules';
import { ReturnChargesRepository } from './return-charges.repository';

/**
 * R-RET-4: closing assesses the carrier bill and the refurbishment parts, valued at the list price in force on the
 * closing date (DOMAIN §9), and publishes ReturnClosed with each charge.
 */
@Injectable()
export class CloseReturnUseCase {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly returns: ReturnsRepository,
    private readonly charges: ReturnChargesRepository,
    private readonly views: ReturnViews,
    private readonly prices: PartPricesProjection,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  async close(principal: Principal, id: string, dto: CloseReturnDto): Promise<ReturnView> {
    await this.db.transaction(async (em) => {
      const app = await this.returns.lock(em, id, { status: 'RECEIVED', action: 'closed' });
      // R-SET-10: the closing date on the document dates the charges; not in the future, not before the receipt.
      const closedOn = documentDate(
        {
          field: 'closedOn',
          step: 'closing',
          given: dto.closedOn,
          follows: { field: 'receivedOn', step: 'receipt', date: app.receivedOn! },
        },
        this.clock.today(),
      );
      const lines = await this.returns.linesOf(id, em);
      const parts = await this.valueParts(em, dto.parts ?? [], closedOn);
      const assessment = assessReturnCharges({
        lines: lines.map((l) => ({
          lineNo: l.lineNo,
          serial: l.serial,
          returnClass: l.returnClass!,
          chargedQuantity: l.chargedQuantity ?? 0,
        })),
        inboundFreight: dto.inboundFreight,
        outboundFreight: dto.outboundFreight,
        parts,
      });
      if (assessment.errors.length > 0) throw new InvalidChargesProblem(assessment.errors);
      await this.charges.recordClosing(em, id, parts, assessment.charges, {
        closedBy: principal.sub,
        closedOn,
        carrierBillNo: dto.carrierBillNo ?? null,
        inboundFreight: dto.inboundFreight,
        outboundFreight: dto.outboundFreight,
        returnClass: assessment.returnClass,
        dealerTotal: assessment.dealerTotal,
        manufacturerTotal: assessment.manufacturerTotal,
        updatedAt: this.clock.now(),
      });
      await this.publish(em, app, closedOn, assessment, dto.carrierBillNo ?? null);
    });
    return this.views.view(id);
  }

  /** R-RET-4 (DOMAIN §9): each part at its list price in force on the closing date; a part without one refuses the closing. */
  private async valueParts(
    em: EntityManager,
    used: readonly UsedPart[],
    closedOn: string,
  ): Promise<RefurbishmentPart[]> {
    if (used.length === 0) return [];
    const priceList = await this.prices.versionsOf(
      used.map((p) => p.partNo),
      em,
    );
    const { parts, errors } = valueRefurbishmentParts(used, priceList, closedOn);
    if (errors.length > 0) throw new NoListPriceProblem(closedOn, errors);
    return parts;
  }

  /** ReturnClosed with each charge for settlement, and the audit entry with the totals. */
  private async publish(
    em: EntityManager,
    app: ReturnApplicationEntity,
    closedOn: string,
    assessment: ChargeAssessment,
    carrierBillNo: string | null,
  ): Promise<void> {
    await this.outbox.enqueue(em, [
      {
        definition: ReturnClosed,
        dealerCode: app.dealerCode,
        payload: {
          dealerCode: app.dealerCode,
          returnId: app.id,
          closedOn,
          returnClass: assessment.returnClass,
          charges: assessment.charges.map((c) => ({
            ruleId: c.ruleId,
            kind: c.kind,
            payer: c.payer,
            amount: c.amount,
            detail: c.detail,
          })),
        },
      },
    ]);
    await this.audit.record(em, {
      action: 'return.closed',
      entityType: 'return',
      entityId: app.id,
      dealerCode: app.dealerCode,
      details: {
        closedOn,
        returnClass: assessment.returnClass,
        dealerTotal: assessment.dealerTotal,
        manufacturerTotal: assessment.manufacturerTotal,
        carrierBillNo,
      },
    });
  }
}
