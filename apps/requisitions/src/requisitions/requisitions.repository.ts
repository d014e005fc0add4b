import type { EntityManager } from 'typeorm';
import type { PartsCharging, RequisitionPurpose } from '@app/contracts';
import type { RequisitionStatus } from './requisition.dto';

export interface RequisitionRow {
  id: string;
  seq: string;
  dealerCode: string;
  status: RequisitionStatus;
  urgent: boolean;
  note: string | null;
  submittedBy: string;
  submittedAt: Date;
  approvedOn: string | null;
  approvedBy: string | null;
  termsVersion: number | null;
  urgentFreightDifference: string | null;
  shippedOn: string | null;
  oldPartsDueOn: string | null;
}

export interface LineRow {
  id: string;
  requisitionId: string;
  lineNo: number;
  partNo: string;
  quantity: number;
  purpose: RequisitionPurpose;
  repairTickets: string[];
  approvedQuantity: number | null;
  cutReason: string | null;
  partName: string | null;
  listPrice: string | null;
  costPrice: string | null;
  amount: string | null;
  chargeTo: PartsCharging | null;
  oldPartsReceived: number;
  invoicedQuantity: number | null;
  invoicedAmount: string | null;
  invoicedOn: string | null;
}

export interface LoadedRequisition extends RequisitionRow {
  lines: LineRow[];
}

/** Column list with dates as text (pg would make JS Dates of them). */
export const REQUISITION_COLUMNS = `r.id, r.seq, r.dealer_code AS "dealerCode", r.status, r.urgent, r.note, r.submitted_by AS "submittedBy", r.submitted_at AS "submittedAt",
  r.approved_on::text AS "approvedOn", r.approved_by AS "approvedBy", r.terms_version AS "termsVersion",
  r.urgent_freight_difference AS "urgentFreightDifference", r.shipped_on::text AS "shippedOn", r.old_parts_due_on::text AS "oldPartsDueOn"`;

const LINE_COLUMNS = `l.id, l.requisition_id AS "requisitionId", l.line_no AS "lineNo", l.part_no AS "partNo", l.quantity, l.purpose, l.repair_tickets AS "repairTickets",
  l.approved_quantity AS "approvedQuantity", l.cut_reason AS "cutReason", l.part_name AS "partName", l.list_price AS "listPrice", l.cost_price AS "costPrice",
  l.amount, l.charge_to AS "chargeTo", l.old_parts_received AS "oldPartsReceived",
  i.quantity AS "invoicedQuantity", i.amount AS "invoicedAmount", i.invoiced_on::text AS "invoicedOn"`;

/** Loads requisitions with their lines and old-part invoices; `lock` takes row locks on the requisitions (FOR UPDATE). */
export async function loadRequisitions(
  em: EntityManager,
  ids: readonly string[],
  lock = false,
): Promise<LoadedRequisition[]> {
  if (ids.length === 0) return [];
  const heads: RequisitionRow[] = await em.query(
    `SELECT ${REQUISITION_COLUMNS} FROM requisitions r WHERE r.id = ANY($1::uuid[]) ORDER BY r.seq${lock ? ' FOR UPDATE' : ''}`,
    [ids],
  );
  const lines: LineRow[] = await em.query(
    `SELECT ${LINE_COLUMNS} FROM requisition_lines l LEFT JOIN old_part_invoices i ON i.line_id = l.id
     WHERE l.requisition_id = ANY($1::uuid[]) ORDER BY l.requisition_id, l.line_no`,
    [ids],
  );
  return heads.map((h) => ({ ...h, lines: lines.filter((l) => l.requisitionId === h.id) }));
}

export async function loadRequisition(
  em: EntityManager,
  id: string,
  lock = false,
): Promise<LoadedRequisition | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  const [found] = await loadRequisitions(em, [id], lock);
  return found;
}
