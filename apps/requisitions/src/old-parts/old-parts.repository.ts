import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface OldPartReceipt {
  lineId: string;
  quantity: number;
}

export interface OldPartInvoice {
  lineId: string;
  requisitionId: string;
  dealerCode: string;
  partNo: string;
  quantity: number;
  costPrice: string;
  amount: string;
  invoicedOn: string;
}

/** Old parts received back on requisition lines and the invoices for those never returned (R-PRT-4). */
@Injectable()
export class OldPartsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async recordReceipts(
    em: EntityManager,
    receipts: readonly OldPartReceipt[],
    receivedOn: string,
    recordedBy: string,
  ): Promise<void> {
    for (const entry of receipts) {
      await em.query(
        `INSERT INTO old_part_receipts (line_id, quantity, received_on, recorded_by) VALUES ($1, $2, $3, $4)`,
        [entry.lineId, entry.quantity, receivedOn, recordedBy],
      );
      await em.query(`UPDATE requisition_lines SET old_parts_received = old_parts_received + $2 WHERE id = $1`, [
        entry.lineId,
        entry.quantity,
      ]);
    }
  }

  /** WARRANTY lines of shipments due before `today` that still owe old parts and carry no invoice yet. */
  overdueLines(today: string): Promise<Array<{ requisition_id: string; line_id: string }>> {
    return this.db.query(
      `SELECT l.requisition_id, l.id AS line_id FROM requisition_lines l JOIN requisitions r ON r.id = l.requisition_id
       WHERE r.status = 'SHIPPED' AND r.old_parts_due_on < $1 AND l.purpose = 'WARRANTY' AND l.approved_quantity > l.old_parts_received
         AND NOT EXISTS (SELECT 1 FROM old_part_invoices i WHERE i.line_id = l.id)
       ORDER BY r.seq, l.line_no`,
      [today],
    );
  }

  /** Stores the invoice unless the line already has one (its primary key); true when this call stored it. */
  async insertInvoice(em: EntityManager, i: OldPartInvoice): Promise<boolean> {
    const inserted: unknown[] = await em.query(
      `INSERT INTO old_part_invoices (line_id, requisition_id, dealer_code, part_no, quantity, cost_price, amount, invoiced_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (line_id) DO NOTHING RETURNING line_id`,
      [i.lineId, i.requisitionId, i.dealerCode, i.partNo, i.quantity, i.costPrice, i.amount, i.invoicedOn],
    );
    return inserted.length > 0;
  }
}
