import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditResult } from '@app/contracts';
import { lockRow } from '@app/platform';
import { CallbackAuditStatus, SampledCard } from './audit-result';
import { CardRiskFacts, DealerRiskFacts, FiredSignal } from './risk-signals';
import { AuditWeighting } from './risk-sample';
import { CallbackAuditEntity } from './callback-audit.entity';
import { callbackAuditNotFoundProblem } from './callback-audits.problems';

export interface AuditRow {
  id: string;
  seq: string;
  dealer_code: string;
  report_month: string;
  percent: string;
  seed: string;
  seed_generated: boolean;
  population_count: number;
  population_hash: string;
  sample_size: number;
  status: CallbackAuditStatus;
  drawn_by: string;
  drawn_at: Date;
  closed_by: string | null;
  closed_at: Date | null;
  weighting: AuditWeighting;
  risk_hash: string | null;
  verified: number;
  falsified: number;
  incomplete: number;
  pending: number;
}

export interface SampleRow {
  position: number;
  serial: string;
  model: string;
  result: AuditResult | null;
  note: string | null;
  recorded_by: string | null;
  recorded_at: Date | null;
  score: number | null;
  signals: FiredSignal[] | null;
}

/** What a redraw needs: the stored seed and population snapshot. */
export interface AuditSnapshot {
  seed: string;
  percent: string;
  population_count: number;
  population_hash: string;
  population_serials: string[];
  weighting: AuditWeighting;
  population_scores: number[] | null;
  risk_hash: string | null;
  dealer_code: string;
  report_month: string;
}

export interface NewAudit {
  id: string;
  dealerCode: string;
  month: string;
  percent: string;
  seed: string;
  seedGenerated: boolean;
  populationCount: number;
  populationHash: string;
  /** The population in canonical order. */
  population: string[];
  weighting: AuditWeighting;
  /** RISK: the score of each population serial (same order) and the snapshot's hash. */
  populationScores: number[] | null;
  riskHash: string | null;
  /** Sampled serials in rank order, each with its model (and, for RISK, its score and signals). */
  sample: Array<{ serial: string; model: string; score: number | null; signals: FiredSignal[] | null }>;
  drawnBy: string;
}

export interface AuditListFilter {
  dealer?: string;
  month?: string;
  status?: string;
}

const AUDIT_COLUMNS = `a.id, a.seq, a.dealer_code, a.report_month, a.percent::text AS percent, a.seed, a.seed_generated, a.population_count,
  a.population_hash, a.sample_size, a.status, a.weighting, a.risk_hash, a.drawn_by, a.drawn_at, a.closed_by, a.closed_at,
  (SELECT count(*) FILTER (WHERE s.result = 'VERIFIED')::int FROM callback_audit_samples s WHERE s.audit_id = a.id) AS verified,
  (SELECT count(*) FILTER (WHERE s.result = 'FALSIFIED')::int FROM callback_audit_samples s WHERE s.audit_id = a.id) AS falsified,
  (SELECT count(*) FILTER (WHERE s.result = 'INCOMPLETE')::int FROM callback_audit_samples s WHERE s.audit_id = a.id) AS incomplete,
  (SELECT count(*) FILTER (WHERE s.result IS NULL)::int FROM callback_audit_samples s WHERE s.audit_id = a.id) AS pending`;

/** A card's address as the risk signals compare it: the expression of the index warranty_cards_accepted_address. */
const NORMALISED_ADDRESS = `lower(regexp_replace(w.address, '\\s', '', 'g'))`;

/**
 * The card facts of the risk signals for a dealer's month: each accepted card with how many
 * accepted cards (any dealer, any month) share its phone and its address, and across how many dealers.
 * Each distinct phone and address of the month is counted once, by an index probe (the partial
 * indexes on phone and on the normalised address), whatever the planner thinks of the table's size.
 */
const CARD_RISK_FACTS = `
  WITH pop AS MATERIALIZED (
    SELECT w.serial, w.outlet, w.model, w.sale_date::text AS sale_date, w.phone, ${NORMALISED_ADDRESS} AS addr
      FROM warranty_cards w WHERE w.dealer_code = $1 AND w.report_month = $2 AND w.status = 'ACCEPTED'
  ), phones AS MATERIALIZED (
    SELECT ph.phone, c.cards, c.dealers FROM (SELECT DISTINCT phone FROM pop) ph
     CROSS JOIN LATERAL (SELECT count(*)::int AS cards, count(DISTINCT w.dealer_code)::int AS dealers
                           FROM warranty_cards w WHERE w.status = 'ACCEPTED' AND w.phone = ph.phone) c
  ), addresses AS MATERIALIZED (
    SELECT ad.addr, c.cards, c.dealers FROM (SELECT DISTINCT addr FROM pop) ad
     CROSS JOIN LATERAL (SELECT count(*)::int AS cards, count(DISTINCT w.dealer_code)::int AS dealers
                           FROM warranty_cards w WHERE w.status = 'ACCEPTED' AND ${NORMALISED_ADDRESS} = ad.addr) c
  )
  SELECT p.serial, p.outlet, p.model, p.sale_date, ph.cards AS phone_cards, ph.dealers AS phone_dealers,
         ad.cards AS address_cards, ad.dealers AS address_dealers
    FROM pop p JOIN phones ph ON ph.phone = p.phone JOIN addresses ad ON ad.addr = p.addr`;

const ACCEPTED_CARDS = `SELECT serial, model FROM warranty_cards WHERE dealer_code = $1 AND report_month = $2 AND status = 'ACCEPTED'`;

/** Two draws for the same dealer and month at once: the partial unique index lets one through. */
const isSecondOpenAudit = (e: unknown): boolean =>
  e instanceof QueryFailedError &&
  (e as QueryFailedError & { code?: string }).code === '23505' &&
  String(e.message).includes('callback_audits_one_open');

/** callback_audits and callback_audit_samples; the population is read from warranty_cards. */
@Injectable()
export class CallbackAuditsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async openAuditId(em: EntityManager, dealerCode: string, month: string): Promise<string | null> {
    const open: Array<{ id: string }> = await em.query(
      `SELECT id FROM callback_audits WHERE dealer_code = $1 AND report_month = $2 AND status = 'OPEN'`,
      [dealerCode, month],
    );
    return open[0]?.id ?? null;
  }

  /** The dealer's accepted cards of the month: the population an audit samples. */
  acceptedCards(
    dealerCode: string,
    month: string,
    em: EntityManager = this.db.manager,
  ): Promise<Array<{ serial: string; model: string }>> {
    return em.query(ACCEPTED_CARDS, [dealerCode, month]);
  }

  /** The risk facts of each accepted card of the dealer's month (R-AUD-1 weighting RISK). */
  async cardRiskFacts(em: EntityManager, dealerCode: string, month: string): Promise<CardRiskFacts[]> {
    const rows: Array<{
      serial: string;
      outlet: string;
      model: string;
      sale_date: string;
      phone_cards: number;
      phone_dealers: number;
      address_cards: number;
      address_dealers: number;
    }> = await em.query(CARD_RISK_FACTS, [dealerCode, month]);
    return rows.map((r) => ({
      serial: r.serial,
      outlet: r.outlet,
      model: r.model,
      saleDate: r.sale_date,
      phoneCards: r.phone_cards,
      phoneDealers: r.phone_dealers,
      addressCards: r.address_cards,
      addressDealers: r.address_dealers,
    }));
  }

  /** The month's latest sales statistics (units per outlet and model) and the results of the dealer's audits so far. */
  async dealerRiskFacts(em: EntityManager, dealerCode: string, month: string): Promise<DealerRiskFacts> {
    const sales: Array<{ lines: Array<{ outlet: string; model: string; units: number }> | null }> = await em.query(
      `SELECT content->'lines' AS lines FROM monthly_report_parts
        WHERE dealer_code = $1 AND month = $2 AND part = 'SALES' ORDER BY version DESC LIMIT 1`,
      [dealerCode, month],
    );
    const [earlier]: Array<{ audited: number; falsified: number }> = await em.query(
      `SELECT count(s.result)::int AS audited, count(*) FILTER (WHERE s.result = 'FALSIFIED')::int AS falsified
         FROM callback_audit_samples s JOIN callback_audits a ON a.id = s.audit_id WHERE a.dealer_code = $1`,
      [dealerCode],
    );
    const lines = sales.length === 0 ? null : (sales[0].lines ?? []);
    return {
      unitsSold: lines && lines.map((l) => ({ outlet: l.outlet, model: l.model, units: Number(l.units) })),
      earlierAudited: earlier.audited,
      earlierFalsified: earlier.falsified,
    };
  }

  /** Stores an OPEN audit and its sample; false when another open audit of the dealer's month got in first. */
  async insertOpen(em: EntityManager, a: NewAudit): Promise<boolean> {
    try {
      await em.query(
        `INSERT INTO callback_audits (id, dealer_code, report_month, percent, seed, seed_generated, population_count, population_hash,
           population_serials, sample_size, status, drawn_by, weighting, population_scores, risk_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'OPEN', $11, $12, $13, $14)`,
        [
          a.id,
          a.dealerCode,
          a.month,
          a.percent,
          a.seed,
          a.seedGenerated,
          a.populationCount,
          a.populationHash,
          a.population,
          a.sample.length,
          a.drawnBy,
          a.weighting,
          a.populationScores,
          a.riskHash,
        ],
      );
    } catch (e) {
      if (isSecondOpenAudit(e)) return false;
      throw e;
    }
    await em.query(
      `INSERT INTO callback_audit_samples (audit_id, position, serial, model, score, signals)
       SELECT $1, u.position, u.serial, u.model, u.score, u.signals::jsonb
         FROM unnest($2::int[], $3::text[], $4::text[], $5::int[], $6::text[]) AS u(position, serial, model, score, signals)`,
      [
        a.id,
        a.sample.map((_, i) => i + 1),
        a.sample.map((s) => s.serial),
        a.sample.map((s) => s.model),
        a.sample.map((s) => s.score),
        a.sample.map((s) => (s.signals ? JSON.stringify(s.signals) : null)),
      ],
    );
    return true;
  }

  async findSummary(id: string): Promise<AuditRow | undefined> {
    const rows: AuditRow[] = await this.db.query(`SELECT ${AUDIT_COLUMNS} FROM callback_audits a WHERE a.id = $1`, [
      id,
    ]);
    return rows[0];
  }

  sampleOf(id: string): Promise<SampleRow[]> {
    return this.db.query(
      `SELECT position, serial, model, result, note, recorded_by, recorded_at, score, signals FROM callback_audit_samples WHERE audit_id = $1 ORDER BY position`,
      [id],
    );
  }

  /** Up to `limit + 1` audits, newest drawn first (seq descending), after the cursor key. */
  page(filter: AuditListFilter, limit: number, after?: string): Promise<AuditRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.dealer) add('a.dealer_code = ?', filter.dealer);
    if (filter.month) add('a.report_month = ?', filter.month);
    if (filter.status) add('a.status = ?', filter.status);
    if (after !== undefined) add('a.seq < ?::bigint', after);
    params.push(limit + 1);
    return this.db.query(
      `SELECT ${AUDIT_COLUMNS} FROM callback_audits a ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.seq DESC LIMIT $${params.length}`,
      params,
    );
  }

  async findSnapshot(id: string): Promise<AuditSnapshot | undefined> {
    const rows: AuditSnapshot[] = await this.db.query(
      `SELECT seed, percent::text AS percent, population_count, population_hash, population_serials, weighting, population_scores, risk_hash,
              dealer_code, report_month FROM callback_audits WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  /**
   * The samplings of a card, oldest audit first: the samples locked for update and their audits
   * share-locked, so a concurrent close waits for this recording (and vice versa).
   */
  async lockSamplingsOf(em: EntityManager, serial: string): Promise<SampledCard[]> {
    const rows: Array<{
      audit_id: string;
      status: CallbackAuditStatus;
      dealer_code: string;
      report_month: string;
      serial: string;
      model: string;
      result: AuditResult | null;
      note: string | null;
    }> = await em.query(
      `SELECT s.audit_id, a.status, a.dealer_code, a.report_month, s.serial, s.model, s.result, s.note
           FROM callback_audit_samples s JOIN callback_audits a ON a.id = s.audit_id
          WHERE s.serial = $1 ORDER BY a.seq FOR UPDATE OF s FOR SHARE OF a`,
      [serial],
    );
    return rows.map((r) => ({
      auditId: r.audit_id,
      auditStatus: r.status,
      dealerCode: r.dealer_code,
      reportMonth: r.report_month,
      serial: r.serial,
      model: r.model,
      result: r.result,
      note: r.note,
    }));
  }

  /** True when some card (accepted or withdrawn) has the serial. */
  async cardExists(em: EntityManager, serial: string): Promise<boolean> {
    const known: unknown[] = await em.query(`SELECT 1 FROM warranty_cards WHERE serial = $1 LIMIT 1`, [serial]);
    return known.length > 0;
  }

  async recordedBy(
    em: EntityManager,
    auditId: string,
    serial: string,
  ): Promise<{ recorded_by: string; recorded_at: Date }> {
    const cur: Array<{ recorded_by: string; recorded_at: Date }> = await em.query(
      `SELECT recorded_by, recorded_at FROM callback_audit_samples WHERE audit_id = $1 AND serial = $2`,
      [auditId, serial],
    );
    return cur[0];
  }

  async setResult(
    em: EntityManager,
    auditId: string,
    serial: string,
    r: { result: AuditResult; note: string | null; recordedBy: string; recordedAt: Date },
  ): Promise<void> {
    await em.query(
      `UPDATE callback_audit_samples SET result = $3, note = $4, recorded_by = $5, recorded_at = $6 WHERE audit_id = $1 AND serial = $2`,
      [auditId, serial, r.result, r.note, r.recordedBy, r.recordedAt],
    );
  }

  /** The audit's row locked for its closing, or 404. */
  lockForClose(em: EntityManager, id: string): Promise<CallbackAuditEntity> {
    return lockRow(em, CallbackAuditEntity, { id }, { notFound: () => callbackAuditNotFoundProblem(id) });
  }

  sampleResults(em: EntityManager, id: string): Promise<Array<{ serial: string; result: AuditResult | null }>> {
    return em.query(`SELECT serial, result FROM callback_audit_samples WHERE audit_id = $1 ORDER BY position`, [id]);
  }

  async markClosed(em: EntityManager, id: string, closedBy: string): Promise<void> {
    await em.query(`UPDATE callback_audits SET status = 'CLOSED', closed_by = $2, closed_at = now() WHERE id = $1`, [
      id,
      closedBy,
    ]);
  }

  /**
   * True while an audit of the dealer's month holds the card: it is in the sample of an open
   * audit, or its finding was FALSIFIED or INCOMPLETE.
   */
  async holdsCard(em: EntityManager, serial: string, dealerCode: string, month: string): Promise<boolean> {
    const sampled: unknown[] = await em.query(
      `SELECT 1 FROM callback_audit_samples s JOIN callback_audits a ON a.id = s.audit_id
        WHERE s.serial = $1 AND a.dealer_code = $2 AND a.report_month = $3
          AND (a.status = 'OPEN' OR s.result IN ('FALSIFIED', 'INCOMPLETE'))`,
      [serial, dealerCode, month],
    );
    return sampled.length > 0;
  }
}
