import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OldPartsInvoiced } from '@app/contracts';
import { isDateWithinLimits, shanghaiDate } from '@app/kernel';
import { OutboxService } from '@app/messaging';
import { AuditLogService, notFoundProblem, Principal, ProblemException, validationProblem } from '@app/platform';
import { Clock } from '@app/platform';
import type { FieldError } from '../price-list/price-rules';
import { RecordOldPartsDto, RequisitionView } from '../requisitions/requisition.dto';
import { loadRequisition } from '../requisitions/requisition.store';
import { RequisitionsService } from '../requisitions/requisitions.service';
import { checkOldPartReceipt, oldPartsInvoiceFor } from './old-parts-rules';

/** R-PRT-4: after-sales records old parts received back; partial receipts allowed, never more than owed. */
@Injectable()
export class OldPartsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
    private readonly requisitions: RequisitionsService,
  ) {}

  async record(id: string, dto: RecordOldPartsDto, principal: Principal): Promise<RequisitionView> {
    const today = this.clock.today();
    const receivedOn = dto.receivedOn ?? today;
    if (!isDateWithinLimits(receivedOn) || receivedOn > today) {
      throw validationProblem([
        {
          field: 'receivedOn',
          rule: 'calendarDate',
          message: 'receivedOn must be a calendar date YYYY-MM-DD, not in the future',
        },
      ]);
    }
    await this.db.transaction(async (em) => {
      const r = await loadRequisition(em, id, true);
      if (!r) throw notFoundProblem(`Requisition ${id} was not found.`);
      if (r.status !== 'SHIPPED') {
        throw new ProblemException({
          status: 409,
          type: 'requisition-not-shipped',
          code: 'REQUISITION_NOT_SHIPPED',
          detail: `Requisition ${id} is ${r.status}; old parts are owed only after shipment.`,
        });
      }
      if (receivedOn < r.shippedOn!) {
        throw validationProblem([
          {
            field: 'receivedOn',
            rule: 'afterShipment',
            message: `receivedOn must not be before the shipment on ${r.shippedOn}`,
          },
        ]);
      }
      const errors: FieldError[] = [];
      const seen = new Set<string>();
      dto.lines.forEach((entry, i) => {
        const line = r.lines.find((l) => l.id === entry.lineId);
        if (!line)
          return void errors.push({
            field: `lines[${i}].lineId`,
            rule: 'lineOfRequisition',
            message: `${entry.lineId} is not a line of this requisition`,
          });
        if (seen.has(entry.lineId))
          return void errors.push({ field: `lines[${i}].lineId`, rule: 'unique', message: 'a line is named twice' });
        seen.add(entry.lineId);
        const problem = checkOldPartReceipt(
          {
            purpose: line.purpose,
            approvedQuantity: line.approvedQuantity ?? 0,
            received: line.oldPartsReceived,
            invoiced: line.invoicedQuantity !== null,
          },
          entry.quantity,
          `lines[${i}].quantity`,
        );
        if (problem) errors.push(problem);
      });
      if (errors.length) throw validationProblem(errors);
      for (const entry of dto.lines) {
        await em.query(
          `INSERT INTO old_part_receipts (line_id, quantity, received_on, recorded_by) VALUES ($1, $2, $3, $4)`,
          [entry.lineId, entry.quantity, receivedOn, principal.sub],
        );
        await em.query(`UPDATE requisition_lines SET old_parts_received = old_parts_received + $2 WHERE id = $1`, [
          entry.lineId,
          entry.quantity,
        ]);
      }
      await this.audit.record(em, {
        action: 'old-parts.received',
        entityType: 'requisition',
        entityId: id,
        dealerCode: r.dealerCode,
        details: { receivedOn, lines: dto.lines.map((l) => ({ ...l })) },
      });
    });
    return this.requisitions.get(id, principal);
  }
}

export interface SweepResult {
  ranFor: string;
  invoiced: Array<{ requisitionId: string; lineId: string; partNo: string; quantity: number; amount: string }>;
}

/**
 * R-PRT-4: invoices the old parts still owed after the due date at the line's cost price (valued at approval,
 * R-PRT-1), exactly once per line however often it runs: the old_part_invoices primary key on line_id decides.
 */
@Injectable()
export class OldPartsSweep {
  private readonly logger = new Logger(OldPartsSweep.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
  ) {}

  async run(now: Date): Promise<SweepResult> {
    const today = shanghaiDate(now);
    const candidates: Array<{ requisition_id: string; line_id: string }> = await this.db.query(
      `SELECT l.requisition_id, l.id AS line_id FROM requisition_lines l JOIN requisitions r ON r.id = l.requisition_id
       WHERE r.status = 'SHIPPED' AND r.old_parts_due_on < $1 AND l.purpose = 'WARRANTY' AND l.approved_quantity > l.old_parts_received
         AND NOT EXISTS (SELECT 1 FROM old_part_invoices i WHERE i.line_id = l.id)
       ORDER BY r.seq, l.line_no`,
      [today],
    );
    const invoiced: SweepResult['invoiced'] = [];
    for (const c of candidates) {
      const done = await this.db.transaction(async (em) => {
        // Same lock order as receipts: the requisition row first, then re-read the line.
        const r = await loadRequisition(em, c.requisition_id, true);
        const line = r?.lines.find((l) => l.id === c.line_id);
        if (!r || !line || line.costPrice === null) return undefined;
        const due = oldPartsInvoiceFor(
          {
            purpose: line.purpose,
            approvedQuantity: line.approvedQuantity ?? 0,
            received: line.oldPartsReceived,
            invoiced: line.invoicedQuantity !== null,
            costPrice: line.costPrice,
          },
          r.oldPartsDueOn,
          today,
        );
        if (!due) return undefined;
        const inserted: unknown[] = await em.query(
          `INSERT INTO old_part_invoices (line_id, requisition_id, dealer_code, part_no, quantity, cost_price, amount, invoiced_on)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (line_id) DO NOTHING RETURNING line_id`,
          [line.id, r.id, r.dealerCode, line.partNo, due.quantity, line.costPrice, due.amount, today],
        );
        if (inserted.length === 0) return undefined;
        await this.outbox.enqueue(em, [
          {
            definition: OldPartsInvoiced,
            dealerCode: r.dealerCode,
            payload: {
              dealerCode: r.dealerCode,
              requisitionId: r.id,
              lineId: line.id,
              partNo: line.partNo,
              quantity: due.quantity,
              costPrice: line.costPrice,
              amount: due.amount,
              invoicedOn: today,
            },
          },
        ]);
        await this.audit.record(em, {
          action: 'old-parts.invoiced',
          entityType: 'requisition-line',
          entityId: line.id,
          dealerCode: r.dealerCode,
          details: { requisitionId: r.id, dueOn: r.oldPartsDueOn, ...due, costPrice: line.costPrice },
        });
        return { requisitionId: r.id, lineId: line.id, partNo: line.partNo, ...due };
      });
      if (done) invoiced.push(done);
    }
    if (invoiced.length) this.logger.log(`old-part sweep for ${today}: invoiced ${invoiced.length} line(s)`);
    return { ranFor: today, invoiced };
  }
}
