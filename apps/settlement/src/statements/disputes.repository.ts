import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { DisputeResolutionInput } from '../engine/statement-input';
import { disputeNotFound } from './statements.problems';

export interface DisputeView {
  id: string;
  statementId: string;
  dealerCode: string;
  quarter: string;
  reason: string;
  status: 'OPEN' | 'REJECTED' | 'ACCEPTED';
  raisedBy: string;
  raisedAt: string;
  amount: string | null;
  note: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  /** R-DSP-2: the quarter whose statement carries the accepted amount. */
  entersQuarter: string | null;
}

/** Every SQL statement on disputes (R-DSP-1 / R-DSP-2). */
@Injectable()
export class DisputesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(
    em: EntityManager,
    d: { id: string; statementId: string; dealerCode: string; quarter: string; reason: string; raisedBy: string },
    raisedAt: Date,
  ): Promise<void> {
    await em.query(
      `INSERT INTO disputes (id, statement_id, dealer_code, quarter, reason, status, raised_by, raised_at) VALUES ($1, $2, $3, $4, $5, 'OPEN', $6, $7)`,
      [d.id, d.statementId, d.dealerCode, d.quarter, d.reason, d.raisedBy, raisedAt],
    );
  }

  /** The dispute locked for its resolution, with its statement's quarter, or the 404 problem. */
  async lock(em: EntityManager, id: string): Promise<{ status: string; dealerCode: string; statementQuarter: string }> {
    const [d] = await em.query(
      `SELECT d.*, s.quarter AS statement_quarter FROM disputes d JOIN statements s ON s.id = d.statement_id WHERE d.id = $1 FOR UPDATE OF d`,
      [id],
    );
    if (!d) throw disputeNotFound(id);
    return { status: d.status, dealerCode: d.dealer_code, statementQuarter: d.statement_quarter.trim() };
  }

  async resolve(
    em: EntityManager,
    id: string,
    r: { decision: string; amount: string | null; note: string; by: string; at: Date; entersQuarter: string | null },
  ): Promise<void> {
    await em.query(
      `UPDATE disputes SET status = $2, decision_amount = $3, note = $4, resolved_by = $5, resolved_at = $6, resolved_period = $7 WHERE id = $1`,
      [id, r.decision, r.amount, r.note, r.by, r.at, r.entersQuarter],
    );
  }

  async find(id: string): Promise<DisputeView | null> {
    const [d] = await this.db.query(`SELECT * FROM disputes WHERE id = $1`, [id]);
    return d ? toView(d) : null;
  }

  async list(
    dealer: string | undefined,
    status: string | undefined,
    after: { at: string; id: string } | undefined,
    limit: number,
  ): Promise<DisputeView[]> {
    // Newest first: (raisedAt, id) descending.
    const rows = await this.db.query(
      `SELECT * FROM disputes WHERE ($1::text IS NULL OR dealer_code = $1) AND ($2::text IS NULL OR status = $2)
         AND ($3::timestamptz IS NULL OR (raised_at, id) < ($3::timestamptz, $4::uuid))
       ORDER BY raised_at DESC, id DESC LIMIT $5`,
      [dealer ?? null, status ?? null, after?.at ?? null, after?.id ?? null, limit + 1],
    );
    return rows.map(toView);
  }

  /** R-DSP-2: accepted disputes assigned to this quarter (as they stood at `asOf`). */
  async resolutionsFor(
    dealerCodes: string[],
    quarter: string,
    asOf: Date | undefined,
    em: EntityManager,
  ): Promise<Map<string, DisputeResolutionInput[]>> {
    const rows: ResolutionRow[] = await em.query(
      `SELECT d.id, d.statement_id, d.dealer_code, d.decision_amount, s.quarter FROM disputes d JOIN statements s ON s.id = d.statement_id
       WHERE d.dealer_code = ANY($1) AND d.status = 'ACCEPTED' AND d.resolved_period = $2 AND ($3::timestamptz IS NULL OR d.resolved_at <= $3)
       ORDER BY d.resolved_at, d.id`,
      [dealerCodes, quarter, asOf ?? null],
    );
    return byDealer(rows);
  }

  /** As resolutionsFor, each dealer as of its own instant (absent: every resolution). */
  async resolutionsEachAsOf(
    requests: ReadonlyArray<{ dealerCode: string; asOf?: Date }>,
    quarter: string,
    em: EntityManager,
  ): Promise<Map<string, DisputeResolutionInput[]>> {
    const rows: ResolutionRow[] = await em.query(
      `SELECT d.id, d.statement_id, d.dealer_code, d.decision_amount, s.quarter
         FROM unnest($1::text[], $2::timestamptz[]) AS r(code, as_of)
         JOIN disputes d ON d.dealer_code = r.code JOIN statements s ON s.id = d.statement_id
         WHERE d.status = 'ACCEPTED' AND d.resolved_period = $3 AND (r.as_of IS NULL OR d.resolved_at <= r.as_of)
         ORDER BY d.resolved_at, d.id`,
      [requests.map((r) => r.dealerCode), requests.map((r) => r.asOf?.toISOString() ?? null), quarter],
    );
    return byDealer(rows);
  }
}

/** An accepted dispute as the engine takes it (R-DSP-2), with its dealer. */
interface ResolutionRow {
  id: string;
  statement_id: string;
  dealer_code: string;
  decision_amount: string;
  quarter: string;
}

function byDealer(rows: ResolutionRow[]): Map<string, DisputeResolutionInput[]> {
  const map = new Map<string, DisputeResolutionInput[]>();
  for (const r of rows) {
    const list = map.get(r.dealer_code) ?? [];
    list.push({ disputeId: r.id, statementId: r.statement_id, amount: r.decision_amount, quarter: r.quarter.trim() });
    map.set(r.dealer_code, list);
  }
  return map;
}

function toView(d: Record<string, any>): DisputeView {
  return {
    id: d.id,
    statementId: d.statement_id,
    dealerCode: d.dealer_code,
    quarter: d.quarter.trim(),
    reason: d.reason,
    status: d.status,
    raisedBy: d.raised_by,
    raisedAt: new Date(d.raised_at).toISOString(),
    amount: d.decision_amount ?? null,
    note: d.note ?? null,
    resolvedBy: d.resolved_by ?? null,
    resolvedAt: d.resolved_at ? new Date(d.resolved_at).toISOString() : null,
    entersQuarter: d.resolved_period ? d.resolved_period.trim() : null,
  };
}
