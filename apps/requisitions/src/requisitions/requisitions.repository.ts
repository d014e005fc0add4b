import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { PartsCharging, RequisitionPurpose } from '@app/contracts';
import { Page, toPage } from '@app/platform';
import { requisitionNotFound } from './requisitions.problems';
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
  filedOn: string;
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
const REQUISITION_COLUMNS = `r.id, r.seq, r.dealer_code AS "dealerCode", r.status, r.urgent, r.note, r.submitted_by AS "submittedBy", r.submitted_at AS "submittedAt",
  r.filed_on::text AS "filedOn", r.approved_on::text AS "approvedOn", r.approved_by AS "approvedBy", r.terms_version AS "termsVersion",
  r.urgent_freight_difference AS "urgentFreightDifference", r.shipped_on::text AS "shippedOn", r.old_parts_due_on::text AS "oldPartsDueOn"`;

const LINE_COLUMNS = `l.id, l.requisition_id AS "requisitionId", l.line_no AS "lineNo", l.part_no AS "partNo", l.quantity, l.purpose, l.repair_tickets AS "repairTickets",
  l.approved_quantity AS "approvedQuantity", l.cut_reason AS "cutReason", l.part_name AS "partName", l.list_price AS "listPrice", l.cost_price AS "costPrice",
  l.amount, l.charge_to AS "chargeTo", l.old_parts_received AS "oldPartsReceived",
  i.quantity AS "invoicedQuantity", i.amount AS "invoicedAmount", i.invoiced_on::text AS "invoicedOn"`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface FiledRequisition {
  id: string;
  dealerCode: string;
  urgent: boolean;
  note: string | null;
  submittedBy: string;
  submittedAt: Date;
  filedOn: string;
  lines: ReadonlyArray<{ partNo: string; quantity: number; purpose: RequisitionPurpose; repairTickets?: string[] }>;
}

/** What approval writes on each line: the decision and, for an approved line, its value and charge target. */
export type LineApproval = Pick<
  LineRow,
  'cutReason' | 'partName' | 'listPrice' | 'costPrice' | 'amount' | 'chargeTo'
> & {
  lineId: string;
  approvedQuantity: number;
};

export interface Approval {
  approvedOn: string;
  approvedBy: string;
  approvedAt: Date;
  termsVersion: number;
  urgentFreightDifference: string | null;
  lines: readonly LineApproval[];
}

export interface Shipment {
  shippedOn: string;
  shippedBy: string;
  oldPartsDueOn: string | null;
}

export interface RequisitionFilter {
  dealer: string | null;
  status: RequisitionStatus | null;
  month: string | null;
  /** The seq of the last requisition of the previous page. */
  after: string | null;
  limit: number;
}

/** The requisitions and their lines (with the old-part invoices of each line); dates read as text. */
@Injectable()
export class RequisitionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Requisitions with their lines in filing order; `lock` takes row locks on the requisitions (FOR UPDATE). */
  async load(ids: readonly string[], em: EntityManager = this.db.manager, lock = false): Promise<LoadedRequisition[]> {
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

  /** One requisition; undefined for an unknown id (a malformed id is simply not one). */
  async find(id: string, em: EntityManager = this.db.manager, lock = false): Promise<LoadedRequisition | undefined> {
    if (!UUID.test(id)) return undefined;
    const [found] = await this.load([id], em, lock);
    return found;
  }

  /**
   * The opening of a state change: locks the requisition in the caller's transaction, 404 when
   * there is none, `wrongState` when it is not in the `allowed` status.
   */
  async lockInState(
    em: EntityManager,
    id: string,
    allowed: RequisitionStatus,
    wrongState: (r: LoadedRequisition) => Error,
  ): Promise<LoadedRequisition> {
    const r = await this.find(id, em, true);
    if (!r) throw requisitionNotFound(id);
    if (r.status !== allowed) throw wrongState(r);
    return r;
  }

  async insertFiled(em: EntityManager, f: FiledRequisition): Promise<void> {
    await em.query(
      `INSERT INTO requisitions (id, dealer_code, status, urgent, note, submitted_by, submitted_at, filed_on)
       VALUES ($1, $2, 'SUBMITTED', $3, $4, $5, $6, $7)`,
      [f.id, f.dealerCode, f.urgent, f.note, f.submittedBy, f.submittedAt, f.filedOn],
    );
    await em.query(
      `INSERT INTO requisition_lines (id, requisition_id, line_no, part_no, quantity, purpose, repair_tickets)
       SELECT u.id, $1, u.line_no, u.part_no, u.quantity, u.purpose, ARRAY(SELECT jsonb_array_elements_text(u.tickets))
       FROM unnest($2::uuid[], $3::int[], $4::text[], $5::int[], $6::text[], $7::jsonb[]) AS u(id, line_no, part_no, quantity, purpose, tickets)`,
      [
        f.id,
        f.lines.map(() => randomUUID()),
        f.lines.map((_l, i) => i + 1),
        f.lines.map((l) => l.partNo),
        f.lines.map((l) => l.quantity),
        f.lines.map((l) => l.purpose),
        f.lines.map((l) => JSON.stringify(l.repairTickets ?? [])),
      ],
    );
  }

  async markApproved(em: EntityManager, id: string, a: Approval): Promise<void> {
    for (const l of a.lines) {
      await em.query(
        `UPDATE requisition_lines SET approved_quantity = $2, cut_reason = $3, part_name = $4, list_price = $5, cost_price = $6, amount = $7, charge_to = $8 WHERE id = $1`,
        [l.lineId, l.approvedQuantity, l.cutReason, l.partName, l.listPrice, l.costPrice, l.amount, l.chargeTo],
      );
    }
    await em.query(
      `UPDATE requisitions SET status = 'APPROVED', approved_on = $2, approved_by = $3, approved_at = $6, terms_version = $4, urgent_freight_difference = $5 WHERE id = $1`,
      [id, a.approvedOn, a.approvedBy, a.termsVersion, a.urgentFreightDifference, a.approvedAt],
    );
  }

  async markShipped(em: EntityManager, id: string, s: Shipment): Promise<void> {
    await em.query(
      `UPDATE requisitions SET status = 'SHIPPED', shipped_on = $2, shipped_by = $3, old_parts_due_on = $4 WHERE id = $1`,
      [id, s.shippedOn, s.shippedBy, s.oldPartsDueOn],
    );
  }

  /** A page of requisitions, newest filed first (seq descending), with their lines. */
  async page(f: RequisitionFilter): Promise<Page<LoadedRequisition>> {
    const heads: RequisitionRow[] = await this.db.query(
      `SELECT ${REQUISITION_COLUMNS} FROM requisitions r
       WHERE ($1::text IS NULL OR r.dealer_code = $1) AND ($2::text IS NULL OR r.status = $2)
         AND ($3::text IS NULL OR to_char(r.filed_on, 'YYYY-MM') = $3)
         AND ($4::bigint IS NULL OR r.seq < $4)
       ORDER BY r.seq DESC LIMIT $5`,
      [f.dealer, f.status, f.month, f.after, f.limit + 1],
    );
    const page = toPage(heads, f.limit, (h) => String(h.seq));
    return { items: await this.load(page.items.map((h) => h.id)), nextCursor: page.nextCursor };
  }

  /** The dealer's requisitions approved from `from` to `to`, in approval order. */
  async approvedBetween(dealerCode: string, from: string, to: string): Promise<LoadedRequisition[]> {
    const ids: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM requisitions WHERE dealer_code = $1 AND approved_on BETWEEN $2 AND $3 ORDER BY approved_on, seq`,
      [dealerCode, from, to],
    );
    return this.load(ids.map((r) => r.id));
  }
}
