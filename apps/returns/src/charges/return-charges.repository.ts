import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReturnApplicationEntity, ReturnChargeEntity, ReturnPartEntity } from '../applications/return.entity';
import { AssessedCharge, chargeFacts, RefurbishmentPart } from './assess-return-charges';

export type Closing = Pick<
  ReturnApplicationEntity,
  | 'closedBy'
  | 'closedOn'
  | 'carrierBillNo'
  | 'inboundFreight'
  | 'outboundFreight'
  | 'returnClass'
  | 'dealerTotal'
  | 'manufacturerTotal'
  | 'updatedAt'
>;

/** What closing a return writes (R-RET-4): the refurbishment parts, the assessed charges and the totals. */
@Injectable()
export class ReturnChargesRepository {
  async recordClosing(
    em: EntityManager,
    id: string,
    parts: readonly RefurbishmentPart[],
    charges: readonly AssessedCharge[],
    closing: Closing,
  ): Promise<void> {
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
    if (charges.length > 0) {
      await em.insert(
        ReturnChargeEntity,
        charges.map((c, i) => ({ returnId: id, seq: i + 1, ...chargeFacts(c) })),
      );
    }
    await em.update(ReturnApplicationEntity, { id }, { status: 'CLOSED', ...closing });
  }
}
