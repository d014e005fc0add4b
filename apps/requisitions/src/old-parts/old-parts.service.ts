import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OldPartsInvoiced } from '@app/contracts';
import { isDateWithinLimits, shanghaiDate } from '@app/kernel';
import { OutboxService } from '@app/messaging';
import { AuditLogService, Clock, fieldErrorOf, Principal, validationProblem } from '@app/platform';
import { RecordOldPartsDto, RequisitionView } from '../requisitions/requisition.dto';
import { LineRow, LoadedRequisition, RequisitionsRepository } from '../requisitions/requisitions.repository';
import { RequisitionNotShippedProblem } from '../requisitions/requisitions.problems';
import { RequisitionChanges } from '../requisitions/requisition-changes';
import { checkOldPartReceipts, OldPartLineState, oldPartsInvoiceFor } from './old-parts-rules';
import { OldPartsRepository } from './old-parts.repository';

/** What the old-part rules read of a requisition line. */
function oldPartState(l: LineRow): OldPartLineState {
  return {
    purpose: l.purpose,
    approvedQuantity: l.approvedQuantity ?? 0,
    received: l.oldPartsReceived,
    invoiced: l.invoicedQuantity !== null,
  };
}

/** R-PRT-4: after-sales records old parts received back; partial receipts allowed, never more than owed. */
@Injectable()
export class OldPartsService {
  constructor(
    private readonly changes: RequisitionChanges,
    private readonly oldParts: OldPartsRepository,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  record(id: string, dto: RecordOldPartsDto, principal: Principal): Promise<RequisitionView> {
    const receivedOn = this.checkedReceivedOn(dto.receivedOn);
    const from = {
      status: 'SHIPPED' as const,
      wrongState: (r: LoadedRequisition) => new RequisitionNotShippedProblem(id, r.status),
    };
    return this.changes.apply(id, principal, from, async (em, r) => {
      if (receivedOn < r.shippedOn!) {
        const why = { key: 'reasons.oldParts.afterShipment', args: { shippedOn: r.shippedOn! } };
        throw validationProblem([fieldErrorOf('receivedOn', 'afterShipment', why)]);
      }
      const errors = checkOldPartReceipts(
        r.lines.map((l) => ({ lineId: l.id, ...oldPartState(l) })),
        dto.lines,
      );
      if (errors.length) throw validationProblem(errors);
      await this.oldParts.recordReceipts(em, dto.lines, receivedOn, principal.sub);
      await this.audit.record(em, {
        action: 'old-parts.received',
        entityType: 'requisition',
        entityId: id,
        dealerCode: r.dealerCode,
        details: { receivedOn, lines: dto.lines.map((l) => ({ ...l })) },
      });
    });
  }

  /** The receipt date: today when not given, never in the future. */
  private checkedReceivedOn(given: string | undefined): string {
    const today = this.clock.today();
    const receivedOn = given ?? today;
    if (!isDateWithinLimits(receivedOn) || receivedOn > today) {
      throw validationProblem([fieldErrorOf('receivedOn', 'calendarDate', { key: 'reasons.oldParts.receivedOn' })]);
    }
    return receivedOn;
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
    private readonly requisitions: RequisitionsRepository,
    private readonly oldParts: OldPartsRepository,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
  ) {}

  async run(now: Date): Promise<SweepResult> {
    const today = shanghaiDate(now);
    const invoiced: SweepResult['invoiced'] = [];
    for (const c of await this.oldParts.overdueLines(today)) {
      const done = await this.db.transaction(async (em) => {
        // Same lock order as receipts: the requisition row first, then re-read the line.
        const r = await this.requisitions.find(c.requisition_id, em, true);
        const line = r?.lines.find((l) => l.id === c.line_id);
        return r && line ? this.invoiceLine(em, r, line, today) : undefined;
      });
      if (done) invoiced.push(done);
    }
    if (invoiced.length) this.logger.log(`old-part sweep for ${today}: invoiced ${invoiced.length} line(s)`);
    return { ranFor: today, invoiced };
  }

  /** Invoices one line if it still owes old parts past the due date; undefined when there is nothing (more) to do. */
  private async invoiceLine(
    em: EntityManager,
    r: LoadedRequisition,
    line: LineRow,
    today: string,
  ): Promise<SweepResult['invoiced'][number] | undefined> {
    if (line.costPrice === null) return undefined;
    const costPrice = line.costPrice;
    const due = oldPartsInvoiceFor({ ...oldPartState(line), costPrice }, r.oldPartsDueOn, today);
    if (!due) return undefined;
    const invoice = {
      dealerCode: r.dealerCode,
      requisitionId: r.id,
      lineId: line.id,
      partNo: line.partNo,
      quantity: due.quantity,
      costPrice,
      amount: due.amount,
      invoicedOn: today,
    };
    if (!(await this.oldParts.insertInvoice(em, invoice))) return undefined;
    await this.outbox.enqueue(em, [{ definition: OldPartsInvoiced, dealerCode: r.dealerCode, payload: invoice }]);
    await this.audit.record(em, {
      action: 'old-parts.invoiced',
      entityType: 'requisition-line',
      entityId: line.id,
      dealerCode: r.dealerCode,
      details: { requisitionId: r.id, dueOn: r.oldPartsDueOn, ...due, costPrice },
    });
    return { requisitionId: r.id, lineId: line.id, partNo: line.partNo, ...due };
  }
}
