import { Inject, Injectable, Logger } from '@nestjs/common';
import { copyRows, SERVICE_CONFIG, ServiceConfig } from '@app/platform';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { StatementOutcome, StatementResult, StatementTotals } from '../engine/statement-input';
import type { ChainLink } from './statement-chain';
import { CanonicalLine, canonicalLines, resultHash, StatementStatus } from './statement-rules';
import { statementNotFound } from './statements.problems';

export interface StatementRecord {
  id: string;
  dealerCode: string;
  quarter: string;
  status: StatementStatus;
  settlementMode: string;
  opening: string;
  closing: string;
  totals: StatementTotals;
  outcome: StatementOutcome;
  contentHash: string;
  computedByRun: string | null;
  computedBy: string;
  computedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  postedBy: string | null;
  postedAt: string | null;
  /** DOMAIN §9: months whose report due time had not passed when the draft was computed. */
  pendingMonths: string[];
  /** Its link in the chain of posted statements, once posted. */
  chain: ChainLink | null;
}

export interface StatementWithLines extends StatementRecord {
  lines: CanonicalLine[];
}

const STATEMENT_COLUMNS = `id, dealer_code, quarter, status, settlement_mode, opening, closing, totals, outcome, content_hash,
  computed_by_run, computed_by, computed_at, approved_by, approved_at, posted_by, posted_at, pending_months,
  (SELECT json_build_object('sequence', c.sequence, 'prevHash', c.prev_hash, 'chainHash', c.chain_hash)
     FROM statement_chain c WHERE c.statement_id = statements.id) AS chain`;

type Row = Record<string, unknown>;
const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());

export function toStatement(r: Row): StatementRecord {
  return {
    id: r.id as string,
    dealerCode: r.dealer_code as string,
    quarter: (r.quarter as string).trim(),
    status: r.status as StatementStatus,
    settlementMode: r.settlement_mode as string,
    opening: r.opening as string,
    closing: r.closing as string,
    totals: r.totals as StatementTotals,
    outcome: r.outcome as StatementOutcome,
    contentHash: (r.content_hash as string).trim(),
    computedByRun: (r.computed_by_run as string | null) ?? null,
    computedBy: r.computed_by as string,
    computedAt: iso(r.computed_at) as string,
    approvedBy: (r.approved_by as string | null) ?? null,
    approvedAt: iso(r.approved_at),
    postedBy: (r.posted_by as string | null) ?? null,
    postedAt: iso(r.posted_at),
    pendingMonths: (r.pending_months as string[] | null) ?? [],
    chain: r.chain ? (r.chain as ChainLink) : null,
  };
}

export function toLine(r: Row): CanonicalLine {
  return {
    position: Number(r.position),
    ruleId: r.rule_id as string,
    kind: r.kind as string,
    period: r.period as string,
    description: r.description as string,
    quantity: r.quantity === null ? null : Number(r.quantity),
    rate: (r.rate as string | null) ?? null,
    base: (r.base as string | null) ?? null,
    percent: (r.percent as string | null) ?? null,
    amount: r.amount as string,
    affectsBalance: r.affects_balance as boolean,
    sources: r.sources as Record<string, unknown>,
  };
}

export interface DraftToStore {
  result: StatementResult;
  runId: string | null;
  computedBy: string;
}

/** Every SQL statement on statements and their lines (the triggers of R-SET-8 guard what this may change). */
@Injectable()
export class StatementsRepository {
  private readonly logger = new Logger(StatementsRepository.name);
  private readonly profile: boolean;

  constructor(
    @InjectDataSource() readonly db: DataSource,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.profile = config.settlement?.runProfile ?? false;
  }

  async find(id: string, em: EntityManager = this.db.manager, lock = false): Promise<StatementRecord | null> {
    const rows: Row[] = await em.query(
      `SELECT ${STATEMENT_COLUMNS} FROM statements WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? toStatement(rows[0]) : null;
  }

  async findWithLines(id: string, em: EntityManager = this.db.manager): Promise<StatementWithLines | null> {
    const s = await this.find(id, em);
    if (!s) return null;
    return { ...s, lines: await this.lines(id, em) };
  }

  async lines(id: string, em: EntityManager = this.db.manager): Promise<CanonicalLine[]> {
    const rows: Row[] = await em.query(`SELECT * FROM statement_lines WHERE statement_id = $1 ORDER BY position`, [id]);
    return rows.map(toLine);
  }

  /** Lines of many statements in one query, grouped by statement id. */
  async linesOf(ids: string[], em: EntityManager = this.db.manager): Promise<Map<string, CanonicalLine[]>> {
    const rows: Row[] = await em.query(
      `SELECT * FROM statement_lines WHERE statement_id = ANY($1::uuid[]) ORDER BY statement_id, position`,
      [ids],
    );
    const map = new Map<string, CanonicalLine[]>(ids.map((id) => [id, []]));
    for (const r of rows) map.get(r.statement_id as string)?.push(toLine(r));
    return map;
  }

  async forDealerQuarter(
    dealerCode: string,
    quarter: string,
    em: EntityManager = this.db.manager,
  ): Promise<StatementRecord | null> {
    const rows: Row[] = await em.query(
      `SELECT ${STATEMENT_COLUMNS} FROM statements WHERE dealer_code = $1 AND quarter = $2`,
      [dealerCode, quarter],
    );
    return rows[0] ? toStatement(rows[0]) : null;
  }

  async list(
    filter: { quarter?: string; dealer?: string; status?: string },
    after: string | undefined,
    limit: number,
  ): Promise<StatementRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.quarter) {
      params.push(filter.quarter);
      where.push(`quarter = $${params.length}`);
    }
    if (filter.dealer) {
      params.push(filter.dealer);
      where.push(`dealer_code = $${params.length}`);
    }
    if (filter.status) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (after) {
      const [afterQuarter, afterDealer] = after.split('|');
      params.push(afterQuarter, afterDealer ?? '');
      where.push(
        `(quarter < $${params.length - 1} OR (quarter = $${params.length - 1} AND dealer_code > $${params.length}))`,
      );
    }
    params.push(limit + 1);
    // Newest quarter first, its dealers by code.
    const rows: Row[] = await this.db.query(
      `SELECT ${STATEMENT_COLUMNS} FROM statements ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY quarter DESC, dealer_code LIMIT $${params.length}`,
      params,
    );
    return rows.map(toStatement);
  }

  /** Statuses of the dealers' statements for one quarter (what a run may still recompute). */
  async statusesFor(
    dealerCodes: string[],
    quarter: string,
    em: EntityManager = this.db.manager,
  ): Promise<Map<string, { id: string; status: StatementStatus }>> {
    const rows: Row[] = await em.query(
      `SELECT dealer_code, id, status FROM statements WHERE quarter = $1 AND dealer_code = ANY($2)`,
      [quarter, dealerCodes],
    );
    return new Map(
      rows.map((r) => [r.dealer_code as string, { id: r.id as string, status: r.status as StatementStatus }]),
    );
  }

  /** The dealers' statements of a quarter in any status (what-if simulations compare against them). */
  async ofQuarter(
    dealerCodes: string[],
    quarter: string,
    em: EntityManager = this.db.manager,
  ): Promise<Map<string, StatementRecord>> {
    const rows: Row[] = await em.query(
      `SELECT ${STATEMENT_COLUMNS} FROM statements WHERE quarter = $1 AND dealer_code = ANY($2)`,
      [quarter, dealerCodes],
    );
    return new Map(rows.map((r) => [r.dealer_code as string, toStatement(r)]));
  }

  /** The dealers' previous-quarter statements (for the opening, R-SET-4). */
  async frozen(
    dealerCodes: string[],
    quarter: string,
    em: EntityManager = this.db.manager,
  ): Promise<Map<string, StatementRecord>> {
    const rows: Row[] = await em.query(
      `SELECT ${STATEMENT_COLUMNS} FROM statements WHERE quarter = $1 AND dealer_code = ANY($2) AND status IN ('APPROVED', 'POSTED')`,
      [quarter, dealerCodes],
    );
    return new Map(rows.map((r) => [r.dealer_code as string, toStatement(r)]));
  }

  /** The quarters already approved (or posted) per dealer with their approval time, optionally as they stood at an instant (R-SET-7). */
  async approvedQuarters(
    dealerCodes: string[],
    asOf?: Date,
    em: EntityManager = this.db.manager,
  ): Promise<Map<string, Map<string, Date>>> {
    const rows: Row[] = await em.query(
      `SELECT dealer_code, quarter, approved_at FROM statements WHERE dealer_code = ANY($1) AND status IN ('APPROVED', 'POSTED')
         AND ($2::timestamptz IS NULL OR approved_at <= $2) ORDER BY quarter`,
      [dealerCodes, asOf ?? null],
    );
    const map = new Map<string, Map<string, Date>>(dealerCodes.map((d) => [d, new Map()]));
    for (const r of rows)
      map.get(r.dealer_code as string)?.set((r.quarter as string).trim(), new Date(r.approved_at as string));
    return map;
  }

  /** The statement locked for a state change (FOR UPDATE), or the 404 problem. */
  async lock(em: EntityManager, id: string): Promise<StatementRecord> {
    const s = await this.find(id, em, true);
    if (!s) throw statementNotFound(id);
    return s;
  }

  /** R-SET-8: DRAFT → APPROVED. */
  async markApproved(em: EntityManager, id: string, by: string, at: Date): Promise<void> {
    await em.query(
      `UPDATE statements SET status = 'APPROVED', approved_by = $2, approved_at = $3, pending_months = '{}' WHERE id = $1`,
      [id, by, at],
    );
  }

  /** R-SET-8: APPROVED → POSTED. */
  async markPosted(em: EntityManager, id: string, by: string, at: Date): Promise<void> {
    await em.query(`UPDATE statements SET status = 'POSTED', posted_by = $2, posted_at = $3 WHERE id = $1`, [
      id,
      by,
      at,
    ]);
  }

  /** The dealer's quarters after `after` that are frozen (approved or posted). */
  async frozenQuartersAfter(dealerCode: string, after: string, em: EntityManager): Promise<Set<string>> {
    const rows: Array<{ quarter: string }> = await em.query(
      `SELECT quarter FROM statements WHERE dealer_code = $1 AND quarter > $2 AND status IN ('APPROVED', 'POSTED')`,
      [dealerCode, after],
    );
    return new Set(rows.map((r) => r.quarter.trim()));
  }

  /** The dealers' frozen statements before `quarter`: approval time and outcome (tally openings, R-SET-4 / R-SET-7). */
  async frozenBefore(
    em: EntityManager,
    dealerCodes: string[],
    quarter: string,
    asOf?: Date,
  ): Promise<Array<{ dealer_code: string; quarter: string; approved_at: Date; outcome: { nextOpening?: string } }>> {
    return em.query(
      `SELECT dealer_code, trim(quarter) AS quarter, approved_at, outcome FROM statements
       WHERE dealer_code = ANY($1) AND status IN ('APPROVED', 'POSTED') AND approved_at IS NOT NULL AND quarter < $2
         AND ($3::timestamptz IS NULL OR approved_at <= $3)`,
      [dealerCodes, quarter, asOf ?? null],
    );
  }

  /**
   * Stores drafts in one statement per dealer: a new DRAFT, or the existing DRAFT's lines replaced
   * (same id). Approved/posted statements are skipped (the caller filtered; the triggers would refuse).
   */
  async storeDrafts(em: EntityManager, drafts: DraftToStore[], now: Date): Promise<void> {
    if (drafts.length === 0) return;
    const t0 = Date.now();
    const prepared = drafts.map((d) => ({ d, lines: canonicalLines(d.result.lines) }));
    const stored = await this.upsertDrafts(em, prepared, now);
    const t1 = Date.now();
    const idByDealer = new Map(stored.map((r) => [r.dealer_code as string, r.id as string]));
    const ids = prepared.map(({ d }) => idByDealer.get(d.result.dealerCode) ?? '');
    if (ids.every((id) => id === '')) return;
    // A recomputed DRAFT keeps its id and gets its lines replaced; a new statement has none to delete.
    const replaced = stored.filter((r) => !r.inserted).map((r) => r.id as string);
    if (replaced.length > 0)
      await em.query(`DELETE FROM statement_lines WHERE statement_id = ANY($1::uuid[])`, [replaced]);
    const rows = prepared.flatMap(({ lines }, i) => (ids[i] ? lines.map((line) => lineRow(ids[i], line)) : []));
    if (rows.length === 0) return;
    const t2 = Date.now();
    await copyRows(em, 'statement_lines', LINE_COLUMNS, rows);
    if (this.profile)
      this.logger.log(
        `[settlement-run] store: statements ${t1 - t0} ms, delete+prepare ${t2 - t1} ms, lines ${Date.now() - t2} ms`,
      );
  }

  /** INSERT … ON CONFLICT of the drafts' statements; returns the id per dealer and whether it is new. */
  private async upsertDrafts(
    em: EntityManager,
    prepared: Array<{ d: DraftToStore; lines: CanonicalLine[] }>,
    now: Date,
  ): Promise<Row[]> {
    const results = prepared.map(({ d }) => d.result);
    return em.query(
      `INSERT INTO statements (id, dealer_code, quarter, status, settlement_mode, opening, closing, totals, outcome, content_hash, computed_by_run, computed_by, computed_at, pending_months)
       SELECT u.id, u.dealer, u.quarter, 'DRAFT', u.mode, u.opening, u.closing, u.totals, u.outcome, u.hash, u.run, u.by, $12,
         ARRAY(SELECT jsonb_array_elements_text(u.pending))
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::numeric[], $7::jsonb[], $8::jsonb[], $9::text[], $10::uuid[], $11::text[], $13::jsonb[])
         AS u(id, dealer, quarter, mode, opening, closing, totals, outcome, hash, run, by, pending)
       ON CONFLICT (dealer_code, quarter) DO UPDATE SET
         settlement_mode = EXCLUDED.settlement_mode, opening = EXCLUDED.opening, closing = EXCLUDED.closing, totals = EXCLUDED.totals,
         outcome = EXCLUDED.outcome, content_hash = EXCLUDED.content_hash, computed_by_run = EXCLUDED.computed_by_run,
         computed_by = EXCLUDED.computed_by, computed_at = EXCLUDED.computed_at, pending_months = EXCLUDED.pending_months
       WHERE statements.status = 'DRAFT'
       RETURNING id, dealer_code, (xmax = 0) AS inserted`,
      [
        prepared.map(() => randomUUID()),
        results.map((r) => r.dealerCode),
        results.map((r) => r.quarter),
        results.map((r) => r.settlementMode),
        results.map((r) => r.openingBalance),
        results.map((r) => r.closing),
        results.map((r) => JSON.stringify(r.totals)),
        results.map((r) => JSON.stringify(r.outcome)),
        prepared.map(({ d, lines }) => resultHash(d.result, lines)),
        prepared.map(({ d }) => d.runId),
        prepared.map(({ d }) => d.computedBy),
        now,
        results.map((r) => JSON.stringify(r.pendingMonths ?? [])),
      ],
    );
  }
}

const LINE_COLUMNS = [
  'statement_id',
  'position',
  'rule_id',
  'kind',
  'period',
  'description',
  'quantity',
  'rate',
  'base',
  'percent',
  'amount',
  'affects_balance',
  'sources',
];

function lineRow(statementId: string, line: CanonicalLine): Array<string | null> {
  return [
    statementId,
    String(line.position),
    line.ruleId,
    line.kind,
    line.period,
    line.description,
    line.quantity === null ? null : String(line.quantity),
    line.rate,
    line.base,
    line.percent,
    line.amount,
    line.affectsBalance ? 't' : 'f',
    JSON.stringify(line.sources),
  ];
}
