import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AgreementVersionSet,
  CallbackAuditRecorded,
  CallbackAuditRecordedPayload,
  ComplaintRecorded,
  ComplaintRecordedPayload,
  DealerRegistered,
  EventEnvelope,
  MonthlyReportSubmitted,
  MonthlyReportSubmittedPayload,
  OldPartsInvoiced,
  OldPartsInvoicedPayload,
  RequisitionApproved,
  RequisitionApprovedPayload,
  ReturnClosed,
  ReturnClosedPayload,
  ViolationRecorded,
  ViolationRecordedPayload,
} from '@app/contracts';
import { MessagingService } from '@app/messaging';
import { ConsumedEventsRepository } from './consumed-events.repository';
import { journalOnly, on, registerProjection } from './projection-table';

/**
 * Every other fact settlement needs, fed only by events (idempotent upserts; a replay into an
 * empty database gives the same rows apart from the received_at / consumed_at bookkeeping).
 */
@Injectable()
export class FactsProjection implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingService,
    private readonly consumed: ConsumedEventsRepository,
  ) {}

  onModuleInit(): void {
    registerProjection(this.messaging, this.consumed, [
      // The dealer directory (a shared lib) projects these; settlement only journals them here.
      on(DealerRegistered, journalOnly),
      on(AgreementVersionSet, journalOnly),
      on(MonthlyReportSubmitted, onMonthlyReportSubmitted),
      on(CallbackAuditRecorded, onCallbackAuditRecorded),
      on(ComplaintRecorded, onComplaintRecorded),
      on(ViolationRecorded, onViolationRecorded),
      on(RequisitionApproved, onRequisitionApproved),
      on(OldPartsInvoiced, onOldPartsInvoiced),
      on(ReturnClosed, onReturnClosed),
    ]);
  }
}

/** Latest figures per dealer and month; an older event never overwrites a newer one. */
async function onMonthlyReportSubmitted(
  event: EventEnvelope<MonthlyReportSubmittedPayload>,
  em: EntityManager,
): Promise<void> {
  const p = event.payload;
  await em.query(
    `INSERT INTO report_submissions (dealer_code, month, first_submitted_at, due_at, on_time, units_sold, surveyed, satisfied, repairs, callbacks,
       callbacks_below_minimum, last_occurred_at, source_event_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (dealer_code, month) DO UPDATE SET
       first_submitted_at = COALESCE(report_submissions.first_submitted_at, EXCLUDED.first_submitted_at),
       due_at = EXCLUDED.due_at, on_time = EXCLUDED.on_time, units_sold = EXCLUDED.units_sold, surveyed = EXCLUDED.surveyed,
       satisfied = EXCLUDED.satisfied, repairs = EXCLUDED.repairs, callbacks = EXCLUDED.callbacks,
       callbacks_below_minimum = EXCLUDED.callbacks_below_minimum, last_occurred_at = EXCLUDED.last_occurred_at, source_event_id = EXCLUDED.source_event_id
     WHERE report_submissions.last_occurred_at <= EXCLUDED.last_occurred_at`,
    [
      p.dealerCode,
      p.month,
      p.firstSubmittedAt ?? null,
      p.dueAt,
      p.onTime,
      p.unitsSold,
      p.surveyed,
      p.satisfied,
      p.repairs,
      p.callbacks,
      p.callbacksBelowMinimum,
      event.occurredAt,
      event.eventId,
    ],
  );
}

/** The latest finding per audit and card. */
async function onCallbackAuditRecorded(
  event: EventEnvelope<CallbackAuditRecordedPayload>,
  em: EntityManager,
): Promise<void> {
  const p = event.payload;
  await em.query(
    `INSERT INTO audit_findings (audit_id, serial, dealer_code, report_month, model, result, recorded_on, occurred_at, source_event_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (audit_id, serial) DO UPDATE SET result = EXCLUDED.result, recorded_on = EXCLUDED.recorded_on,
       occurred_at = EXCLUDED.occurred_at, source_event_id = EXCLUDED.source_event_id
     WHERE audit_findings.occurred_at <= EXCLUDED.occurred_at`,
    [
      p.auditId,
      p.serial,
      p.dealerCode,
      p.reportMonth,
      p.model,
      p.result,
      p.recordedOn,
      event.occurredAt,
      event.eventId,
    ],
  );
}

async function onComplaintRecorded(event: EventEnvelope<ComplaintRecordedPayload>, em: EntityManager): Promise<void> {
  const p = event.payload;
  await em.query(
    `INSERT INTO complaint_facts (id, dealer_code, reference, date, month, amount, description, source_event_id)
     VALUES ($1, $2, $3, $4::date, substr($4::text, 1, 7), $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
    [p.complaintId, p.dealerCode, p.reference, p.date, p.amount, p.description, event.eventId],
  );
}

async function onViolationRecorded(event: EventEnvelope<ViolationRecordedPayload>, em: EntityManager): Promise<void> {
  const p = event.payload;
  await em.query(
    `INSERT INTO violation_facts (id, dealer_code, reference, date, month, kind, amount, description, source_event_id)
     VALUES ($1, $2, $3, $4::date, substr($4::text, 1, 7), $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
    [p.violationId, p.dealerCode, p.reference, p.date, p.kind, p.amount, p.description, event.eventId],
  );
}

/** The approved lines (R-PRT-2) and, for an urgent requisition, its freight difference (R-PRT-3). */
async function onRequisitionApproved(
  event: EventEnvelope<RequisitionApprovedPayload>,
  em: EntityManager,
): Promise<void> {
  const p = event.payload;
  const l = p.lines;
  await em.query(
    `INSERT INTO requisition_line_facts (requisition_id, line_id, dealer_code, approved_on, month, part_no, part_name, purpose, quantity,
       list_price, cost_price, amount, charge_to, source_event_id)
     SELECT $1, u.line_id, $2, $3::date, substr($3::text, 1, 7), u.part_no, u.part_name, u.purpose, u.quantity, u.list_price, u.cost_price, u.amount, u.charge_to, $4
     FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::numeric[], $11::numeric[], $12::numeric[], $13::text[])
       AS u(line_id, part_no, part_name, purpose, quantity, list_price, cost_price, amount, charge_to)
     ON CONFLICT (requisition_id, line_id) DO NOTHING`,
    [
      p.requisitionId,
      p.dealerCode,
      p.approvedOn,
      event.eventId,
      l.map((x) => x.lineId),
      l.map((x) => x.partNo),
      l.map((x) => x.partName),
      l.map((x) => x.purpose),
      l.map((x) => x.quantity),
      l.map((x) => x.listPrice),
      l.map((x) => x.costPrice),
      l.map((x) => x.amount),
      l.map((x) => x.chargeTo),
    ],
  );
  if (!p.urgent || !p.urgentFreightDifference) return;
  await em.query(
    `INSERT INTO urgent_freight_facts (requisition_id, dealer_code, approved_on, month, amount, source_event_id)
     VALUES ($1, $2, $3::date, substr($3::text, 1, 7), $4, $5) ON CONFLICT (requisition_id) DO NOTHING`,
    [p.requisitionId, p.dealerCode, p.approvedOn, p.urgentFreightDifference, event.eventId],
  );
}

async function onOldPartsInvoiced(event: EventEnvelope<OldPartsInvoicedPayload>, em: EntityManager): Promise<void> {
  const p = event.payload;
  await em.query(
    `INSERT INTO old_parts_invoice_facts (requisition_id, line_id, dealer_code, part_no, quantity, cost_price, amount, invoiced_on, month, source_event_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, substr($8::text, 1, 7), $9) ON CONFLICT (requisition_id, line_id) DO NOTHING`,
    [p.requisitionId, p.lineId, p.dealerCode, p.partNo, p.quantity, p.costPrice, p.amount, p.invoicedOn, event.eventId],
  );
}

/** R-RET-4: the closed return's charges, numbered in the order returns gave them. */
async function onReturnClosed(event: EventEnvelope<ReturnClosedPayload>, em: EntityManager): Promise<void> {
  const p = event.payload;
  const c = p.charges;
  await em.query(
    `INSERT INTO return_charge_facts (return_id, seq, dealer_code, closed_on, month, return_class, rule_id, kind, payer, amount, detail, source_event_id)
     SELECT $1, u.seq, $2, $3::date, substr($3::text, 1, 7), $4, u.rule_id, u.kind, u.payer, u.amount, u.detail, $5
     FROM unnest($6::int[], $7::text[], $8::text[], $9::text[], $10::numeric[], $11::text[]) AS u(seq, rule_id, kind, payer, amount, detail)
     ON CONFLICT (return_id, seq) DO NOTHING`,
    [
      p.returnId,
      p.dealerCode,
      p.closedOn,
      p.returnClass,
      event.eventId,
      c.map((_, i) => i + 1),
      c.map((x) => x.ruleId),
      c.map((x) => x.kind),
      c.map((x) => x.payer),
      c.map((x) => x.amount),
      c.map((x) => x.detail),
    ],
  );
}
