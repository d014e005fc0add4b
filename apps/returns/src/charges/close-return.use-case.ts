import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReturnClosed } from '@app/contracts';
import { OutboxService } from '@app/messaging';
import { AuditLogService, Clock, Principal, ProblemException } from '@app/platform';
import { ReturnView } from '../applications/return.dto';
import {
  ReturnApplicationEntity,
  ReturnChargeEntity,
  ReturnLineEntity,
  ReturnPartEntity,
} from '../applications/return.entity';
import { ReturnsService } from '../applications/returns.service';
import { assessReturnCharges } from './assess-return-charges';
import { CloseReturnDto } from './close-return.dto';

/** R-RET-4: closing assesses the carrier bill and the refurbishment parts and publishes ReturnClosed with each charge. */
@Injectable()
export class CloseReturnUseCase {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly returns: ReturnsService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  async close(principal: Principal, id: string, dto: CloseReturnDto): Promise<ReturnView> {
    await this.db.transaction(async (em) => {
      const app = await this.returns.lock(em, id);
      if (app.status !== 'RECEIVED') throw this.returns.wrongStatus(app, 'closed', 'RECEIVED');
      const lines = await em.find(ReturnLineEntity, { where: { returnId: id }, order: { lineNo: 'ASC' } });
      const parts = dto.parts ?? [];
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
      if (assessment.errors.length > 0) {
        throw new ProblemException({
          status: 422,
          type: 'return-charges',
          code: 'INVALID_CHARGES',
          detail: 'The closing does not fit the received lines.',
          errors: assessment.errors,
        });
      }
      const closedOn = this.clock.today();
      if (parts.length > 0) {
        await em.insert(
          ReturnPartEntity,
          parts.map((p, i) => ({
            returnId: id,
            seq: i + 1,
            lineNo: p.lineNo,
            partNo: p.partNo,
            quantity: p.quantity,
            listPrice: p.listPrice,
          })),
        );
      }
      if (assessment.charges.length > 0) {
        await em.insert(
          ReturnChargeEntity,
          assessment.charges.map((c, i) => ({
            returnId: id,
            seq: i + 1,
            ruleId: c.ruleId,
            kind: c.kind,
            payer: c.payer,
            returnClass: c.returnClass,
            lineNos: c.lineNos,
            amount: c.amount,
            detail: c.detail,
          })),
        );
      }
      await em.update(
        ReturnApplicationEntity,
        { id },
        {
          status: 'CLOSED',
          closedBy: principal.sub,
          closedOn,
          carrierBillNo: dto.carrierBillNo ?? null,
          inboundFreight: dto.inboundFreight,
          outboundFreight: dto.outboundFreight,
          returnClass: assessment.returnClass,
          dealerTotal: assessment.dealerTotal,
          manufacturerTotal: assessment.manufacturerTotal,
          updatedAt: new Date(),
        },
      );
      await this.outbox.enqueue(em, [
        {
          definition: ReturnClosed,
          dealerCode: app.dealerCode,
          payload: {
            dealerCode: app.dealerCode,
            returnId: id,
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
        entityId: id,
        dealerCode: app.dealerCode,
        details: {
          closedOn,
          returnClass: assessment.returnClass,
          dealerTotal: assessment.dealerTotal,
          manufacturerTotal: assessment.manufacturerTotal,
          carrierBillNo: dto.carrierBillNo ?? null,
        },
      });
    });
    return this.returns.view(id);
  }
}
