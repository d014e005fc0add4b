import type {
  ExcludedCardInput,
  OldPartsInvoiceInput,
  PenaltyFactInput,
  RequisitionLineInput,
  ReturnChargeInput,
  UrgentFreightInput,
} from '../engine/statement-input';

/*
 * Fact-table rows (snake_case, as SELECTed by FACT_TABLES) as the engine's inputs. Read as
 * `toInput.penalty(row)`: the quarter's facts and the late facts map their rows the same way.
 */

export const requisitionLine = (r: any): RequisitionLineInput => ({
  requisitionId: r.requisition_id,
  lineId: r.line_id,
  approvedOn: r.approved_on,
  partNo: r.part_no,
  partName: r.part_name,
  purpose: r.purpose,
  quantity: r.quantity,
  listPrice: r.list_price,
  amount: r.amount,
  chargeTo: r.charge_to,
});
/** A card found INCOMPLETE or FALSIFIED (R-AUD-2), from an audit finding row. */
export const excludedCard = (r: any): ExcludedCardInput => ({
  serial: r.serial,
  model: r.model,
  month: r.month,
  result: r.result,
  auditId: r.audit_id,
  recordedOn: r.recorded_on,
});
export const urgentFreight = (r: any): UrgentFreightInput => ({
  requisitionId: r.requisition_id,
  approvedOn: r.approved_on,
  amount: r.amount,
});
export const oldPartsInvoice = (r: any): OldPartsInvoiceInput => ({
  requisitionId: r.requisition_id,
  lineId: r.line_id,
  partNo: r.part_no,
  quantity: r.quantity,
  costPrice: r.cost_price,
  invoicedOn: r.invoiced_on,
  amount: r.amount,
});
export const returnCharge = (r: any): ReturnChargeInput => ({
  returnId: r.return_id,
  closedOn: r.closed_on,
  returnClass: r.return_class,
  ruleId: r.rule_id,
  kind: r.kind,
  payer: r.payer,
  amount: r.amount,
  detail: r.detail,
});
export const penalty = (r: any): PenaltyFactInput => ({
  id: r.id,
  reference: r.reference,
  date: r.date,
  amount: r.amount,
  ...(r.kind ? { kind: r.kind } : {}),
});
