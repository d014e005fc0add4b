import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AgreementTerms } from '@app/contracts';
import type { ChangedLine } from './simulation-rules';

export interface SimulationError {
  dealerCode: string;
  quarter?: string;
  message: string;
}

export interface SimulationScope {
  dealerCodes?: string[];
  region?: string;
}

export interface SimulationRecord {
  id: string;
  startedBy: string;
  status: 'RUNNING' | 'DONE' | 'FAILED';
  scope: SimulationScope;
  terms: AgreementTerms;
  fromQuarter: string;
  toQuarter: string;
  dealersTotal: number;
  dealersDone: number;
  errors: SimulationError[];
  startedAt: string;
  finishedAt: string | null;
}

export interface SimulationResult {
  dealerCode: string;
  quarter: string;
  /** The stored statement compared against; null when the dealer has none for the quarter. */
  statementId: string | null;
  statementStatus: string | null;
  actualClosing: string | null;
  simulatedOpening: string;
  simulatedClosing: string;
  /** simulated − actual closing; null without a statement. */
  difference: string | null;
  changedLines: ChangedLine[];
}

export interface QuarterTotals {
  quarter: string;
  dealers: number;
  /** Dealers with no statement of the quarter: not in actualClosing nor difference. */
  dealersWithoutStatement: number;
  dealersChanged: number;
  actualClosing: string;
  simulatedClosing: string;
  /** Σ simulated − actual over the dealers with a statement. */
  difference: string;
}

type Row = Record<string, any>;
const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());
const money = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toRecord(r: Row): SimulationRecord {
  return {
    id: r.id,
    startedBy: r.started_by,
    status: r.status,
    scope: r.scope,
    terms: r.terms,
    fromQuarter: r.from_quarter.trim(),
    toQuarter: r.to_quarter.trim(),
    dealersTotal: r.dealers_total,
    dealersDone: r.dealers_done,
    errors: r.errors,
    startedAt: iso(r.started_at)!,
    finishedAt: iso(r.finished_at),
  };
}

function toResult(r: Row): SimulationResult {
  return {
    dealerCode: r.dealer_code,
    quarter: r.quarter.trim(),
    statementId: r.statement_id ?? null,
    statementStatus: r.statement_status ?? null,
    actualClosing: money(r.actual_closing),
    simulatedOpening: String(r.simulated_opening),
    simulatedClosing: String(r.simulated_closing),
    difference: money(r.difference),
    changedLines: r.changed_lines,
  };
}

/** Every SQL statement on simulations and simulation_results, and the dealers a simulation takes. */
@Injectable()
export class SimulationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The dealers of a region with an agreement, by code. */
  async dealersOfRegion(em: EntityManager, region: string): Promise<string[]> {
    const rows: Row[] = await em.query(
      `SELECT d.code FROM known_dealers d WHERE d.region = $1
         AND EXISTS (SELECT 1 FROM known_agreements a WHERE a.dealer_code = d.code) ORDER BY d.code`,
      [region],
    );
    return rows.map((r) => r.code);
  }

  /** Which of the codes settlement knows (as dealers). */
  async knownDealers(em: EntityManager, codes: string[]): Promise<Set<string>> {
    const rows: Row[] = await em.query(`SELECT code FROM known_dealers WHERE code = ANY($1)`, [codes]);
    return new Set(rows.map((r) => r.code));
  }

  async insert(
    em: EntityManager,
    s: Omit<SimulationRecord, 'status' | 'dealersDone' | 'errors' | 'startedAt' | 'finishedAt'> & { startedAt: Date },
  ): Promise<void> {
    await em.query(
      `INSERT INTO simulations (id, started_by, status, scope, terms, from_quarter, to_quarter, dealers_total, started_at)
       VALUES ($1, $2, 'RUNNING', $3, $4, $5, $6, $7, $8)`,
      [
        s.id,
        s.startedBy,
        JSON.stringify(s.scope),
        JSON.stringify(s.terms),
        s.fromQuarter,
        s.toQuarter,
        s.dealersTotal,
        s.startedAt,
      ],
    );
  }

  /** One batch's results with its progress, in one transaction. */
  async addResults(
    id: string,
    results: SimulationResult[],
    dealersDone: number,
    errors: SimulationError[],
  ): Promise<void> {
    await this.db.transaction(async (em) => {
      if (results.length > 0)
        await em.query(
          `INSERT INTO simulation_results (simulation_id, dealer_code, quarter, statement_id, statement_status, actual_closing,
             simulated_opening, simulated_closing, difference, changed_lines)
           SELECT $1, r.dealer_code, r.quarter, r.statement_id, r.statement_status, r.actual_closing, r.simulated_opening,
             r.simulated_closing, r.difference, r.changed_lines
           FROM jsonb_to_recordset($2::jsonb) AS r(dealer_code text, quarter text, statement_id uuid, statement_status text,
             actual_closing numeric, simulated_opening numeric, simulated_closing numeric, difference numeric, changed_lines jsonb)`,
          [id, JSON.stringify(results.map(toRow))],
        );
      await em.query(
        `UPDATE simulations SET dealers_done = dealers_done + $2, errors = errors || $3::jsonb WHERE id = $1`,
        [id, dealersDone, JSON.stringify(errors)],
      );
    });
  }

  async finish(
    em: EntityManager,
    id: string,
    status: 'DONE' | 'FAILED',
    at: Date,
    errors: SimulationError[],
  ): Promise<void> {
    await em.query(`UPDATE simulations SET status = $2, finished_at = $3, errors = errors || $4::jsonb WHERE id = $1`, [
      id,
      status,
      at,
      JSON.stringify(errors),
    ]);
  }

  async find(id: string): Promise<SimulationRecord | null> {
    const [r] = await this.db.query(`SELECT * FROM simulations WHERE id = $1`, [id]);
    return r ? toRecord(r) : null;
  }

  /** Newest first; `after` is the cursor key "startedAt|id" of the last one seen. `limit` + 1 rows tell a next page. */
  async list(after: string | undefined, limit: number): Promise<SimulationRecord[]> {
    const [at, id] = after ? after.split('|') : [null, null];
    const rows: Row[] = await this.db.query(
      `SELECT * FROM simulations WHERE ($1::timestamptz IS NULL OR (started_at, id) < ($1::timestamptz, $2::uuid))
       ORDER BY started_at DESC, id DESC LIMIT $3`,
      [at, id, limit + 1],
    );
    return rows.map(toRecord);
  }

  /** By quarter then dealer; `after` is the cursor key "quarter|dealer". `limit` + 1 rows tell a next page. */
  async results(
    id: string,
    filter: { dealer?: string; quarter?: string },
    after: string | undefined,
    limit: number | null,
  ): Promise<SimulationResult[]> {
    const [q, d] = after ? after.split('|') : [null, null];
    const rows: Row[] = await this.db.query(
      `SELECT * FROM simulation_results WHERE simulation_id = $1
         AND ($2::text IS NULL OR dealer_code = $2) AND ($3::text IS NULL OR quarter = $3)
         AND ($4::text IS NULL OR (quarter, dealer_code) > ($4::char(7), $5::text))
       ORDER BY quarter, dealer_code LIMIT $6`,
      [id, filter.dealer ?? null, filter.quarter ?? null, q, d, limit === null ? null : limit + 1],
    );
    return rows.map(toResult);
  }

  /** Totals per quarter, ascending. */
  async totals(id: string): Promise<QuarterTotals[]> {
    const rows: Row[] = await this.db.query(
      `SELECT trim(quarter) AS quarter, count(*)::int AS dealers, count(*) FILTER (WHERE statement_id IS NULL)::int AS without,
         count(*) FILTER (WHERE difference <> 0 OR jsonb_array_length(changed_lines) > 0)::int AS changed,
         coalesce(sum(actual_closing), 0)::numeric(30,2)::text AS actual, sum(simulated_closing)::numeric(30,2)::text AS simulated,
         coalesce(sum(difference), 0)::numeric(30,2)::text AS difference
       FROM simulation_results WHERE simulation_id = $1 GROUP BY quarter ORDER BY quarter`,
      [id],
    );
    return rows.map((r) => ({
      quarter: r.quarter,
      dealers: r.dealers,
      dealersWithoutStatement: r.without,
      dealersChanged: r.changed,
      actualClosing: r.actual,
      simulatedClosing: r.simulated,
      difference: r.difference,
    }));
  }
}

function toRow(r: SimulationResult): Row {
  return {
    dealer_code: r.dealerCode,
    quarter: r.quarter,
    statement_id: r.statementId,
    statement_status: r.statementStatus,
    actual_closing: r.actualClosing,
    simulated_opening: r.simulatedOpening,
    simulated_closing: r.simulatedClosing,
    difference: r.difference,
    changed_lines: r.changedLines,
  };
}
