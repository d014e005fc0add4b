import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditResult, CallbackAuditRecorded } from '@app/contracts';
import { shanghaiDate } from '@app/kernel';
import { OutboxService } from '@app/messaging';
import {
  AuditLogService,
  decodePageCursor,
  DomainError,
  notFoundProblem,
  Page,
  Principal,
  ProblemException,
  toPage,
} from '@app/platform';
import { DealersService } from '../registry/dealers.service';
import { assertPercent, drawSample, generateSeed, populationHash, sameSample } from './audit-sample';
import { CallbackAuditStatus, decideRecording, missingResults, RecordResultInput, SampledCard } from './audit-result';
import {
  AuditResultView,
  CallbackAuditSummaryView,
  CallbackAuditView,
  DrawCallbackAuditDto,
  ListCallbackAuditsQuery,
  RedrawView,
  SampledCardView,
} from './callback-audit.dto';

interface AuditRow {
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
  verified: number;
  falsified: number;
  incomplete: number;
  pending: number;
}

interface SampleRow {
  position: number;
  serial: string;
  model: string;
  result: AuditResult | null;
  note: string | null;
  recorded_by: string | null;
  recorded_at: Date | null;
}

const AUDIT_COLUMNS = `a.id, a.seq, a.dealer_code, a.report_month, a.percent::text AS percent, a.seed, a.seed_generated, a.population_count,
  a.population_hash, a.sample_size, a.status, a.drawn_by, a.drawn_at, a.closed_by, a.closed_at,
  (SELECT count(*) FILTER (WHERE s.result = 'VERIFIED')::int FROM callback_audit_samples s WHERE s.audit_id = a.id) AS verified,
  (SELECT count(*) FILTER (WHERE s.result = 'FALSIFIED')::int FROM callback_audit_samples s WHERE s.audit_id = a.id) AS falsified,
  (SELECT count(*) FILTER (WHERE s.result = 'INCOMPLETE')::int FROM callback_audit_samples s WHERE s.audit_id = a.id) AS incomplete,
  (SELECT count(*) FILTER (WHERE s.result IS NULL)::int FROM callback_audit_samples s WHERE s.audit_id = a.id) AS pending`;

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

function toSummary(a: AuditRow): CallbackAuditSummaryView {
  return {
    id: a.id,
    dealerCode: a.dealer_code,
    reportMonth: a.report_month,
    percent: a.percent,
    seed: a.seed,
    seedGenerated: a.seed_generated,
    populationCount: a.population_count,
    populationHash: a.population_hash,
    sampleSize: a.sample_size,
    status: a.status,
    drawnBy: a.drawn_by,
    drawnAt: iso(a.drawn_at) as string,
    closedBy: a.closed_by,
    closedAt: iso(a.closed_at),
    results: { verified: a.verified, falsified: a.falsified, incomplete: a.incomplete, pending: a.pending },
  };
}

function toSampleView(s: SampleRow): SampledCardView {
  return {
    position: s.position,
    serial: s.serial,
    model: s.model,
    result: s.result,
    note: s.note,
    recordedBy: s.recorded_by,
    recordedAt: iso(s.recorded_at),
  };
}

const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/** Card serials are stored trimmed and upper-cased (see the card rules). */
export const normaliseSerial = (serial: string): string => serial.trim().toUpperCase();

/**
 * Callback audits (回访抽查, R-AUD-1..3): a reproducible sample of a dealer's accepted cards for a
 * month, drawn from a stored seed over a stored population snapshot; one result per sampled card,
 * each published as CallbackAuditRecorded for settlement (R-AUD-2/3, R-SET-7).
 */
@Injectable()
export class CallbackAuditsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dealers: DealersService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
  ) {}

  async draw(dto: DrawCallbackAuditDto, actor: Principal): Promise<CallbackAuditView> {
    assertPercent(dto.percent);
    await this.dealers.requireExisting(dto.dealerCode);
    const seedGenerated = dto.seed === undefined;
    const seed = dto.seed ?? generateSeed();
    const id = randomUUID();
    try {
      await this.db.transaction(async (em) => {
        const open: Array<{ id: string }> = await em.query(
          `SELECT id FROM callback_audits WHERE dealer_code = $1 AND report_month = $2 AND status = 'OPEN'`,
          [dto.dealerCode, dto.month],
        );
        if (open.length > 0) throw this.alreadyOpen(dto.dealerCode, dto.month, open[0].id);
        const cards: Array<{ serial: string; model: string }> = await em.query(
          `SELECT serial, model FROM warranty_cards WHERE dealer_code = $1 AND report_month = $2 AND status = 'ACCEPTED'`,
          [dto.dealerCode, dto.month],
        );
        if (cards.length === 0) {
          throw new DomainError(
            'EMPTY_POPULATION',
            `Dealer ${dto.dealerCode} has no accepted warranty cards for ${dto.month}; there is nothing to sample.`,
            422,
          );
        }
        const drawn = drawSample(
          seed,
          cards.map((c) => c.serial),
          dto.percent,
        );
        const modelOf = new Map(cards.map((c) => [c.serial, c.model]));
        const population = [...modelOf.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        await em.query(
          `INSERT INTO callback_audits (id, dealer_code, report_month, percent, seed, seed_generated, population_count, population_hash,
             population_serials, sample_size, status, drawn_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'OPEN', $11)`,
          [
            id,
            dto.dealerCode,
            dto.month,
            dto.percent,
            seed,
            seedGenerated,
            drawn.populationCount,
            drawn.populationHash,
            population,
            drawn.sampleSize,
            actor.sub,
          ],
        );
        await em.query(
          `INSERT INTO callback_audit_samples (audit_id, position, serial, model)
           SELECT $1, u.position, u.serial, u.model FROM unnest($2::int[], $3::text[], $4::text[]) AS u(position, serial, model)`,
          [id, drawn.serials.map((_, i) => i + 1), drawn.serials, drawn.serials.map((s) => modelOf.get(s) as string)],
        );
        await this.audit.record(em, {
          action: 'callback-audit.drawn',
          entityType: 'callback-audit',
          entityId: id,
          dealerCode: dto.dealerCode,
          details: {
            reportMonth: dto.month,
            percent: dto.percent,
            seedGenerated,
            populationCount: drawn.populationCount,
            populationHash: drawn.populationHash,
            sample: drawn.serials,
          },
        });
      });
    } catch (e) {
      // Two draws for the same dealer and month at once: the partial unique index lets one through.
      if (
        e instanceof QueryFailedError &&
        (e as QueryFailedError & { code?: string }).code === '23505' &&
        String(e.message).includes('callback_audits_one_open')
      ) {
        throw this.alreadyOpen(dto.dealerCode, dto.month);
      }
      throw e;
    }
    return this.get(id);
  }

  async get(id: string): Promise<CallbackAuditView> {
    const audit = await this.findAudit(this.db.manager, id);
    const sample: SampleRow[] = await this.db.query(
      `SELECT position, serial, model, result, note, recorded_by, recorded_at FROM callback_audit_samples WHERE audit_id = $1 ORDER BY position`,
      [id],
    );
    return { ...toSummary(audit), sample: sample.map(toSampleView) };
  }

  async list(query: ListCallbackAuditsQuery): Promise<Page<CallbackAuditSummaryView>> {
    const limit = query.limit ?? 100;
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.dealer) add('a.dealer_code = ?', query.dealer);
    if (query.month) add('a.report_month = ?', query.month);
    if (query.status) add('a.status = ?', query.status);
    const after = decodePageCursor(query.cursor);
    if (after !== undefined) {
      if (!/^\d{1,18}$/.test(after))
        throw new ProblemException({ status: 400, type: 'invalid-cursor', detail: 'The cursor is not valid.' });
      add('a.seq > ?::bigint', after);
    }
    params.push(limit + 1);
    const rows: AuditRow[] = await this.db.query(
      `SELECT ${AUDIT_COLUMNS} FROM callback_audits a ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.seq LIMIT $${params.length}`,
      params,
    );
    const page = toPage(rows, limit, (r) => String(r.seq));
    return { items: page.items.map(toSummary), nextCursor: page.nextCursor };
  }

  /**
   * R-AUD-1: recomputes the sample from the stored seed over the stored population snapshot and
   * compares it with the stored sample; also says whether the month's cards have changed since.
   */
  async redraw(id: string): Promise<RedrawView> {
    if (!isUuid(id)) throw notFoundProblem(`Callback audit ${id} was not found.`);
    const rows: Array<{
      seed: string;
      percent: string;
      population_count: number;
      population_hash: string;
      population_serials: string[];
      dealer_code: string;
      report_month: string;
    }> = await this.db.query(
      `SELECT seed, percent::text AS percent, population_count, population_hash, population_serials, dealer_code, report_month FROM callback_audits WHERE id = $1`,
      [id],
    );
    if (rows.length === 0) throw notFoundProblem(`Callback audit ${id} was not found.`);
    const a = rows[0];
    const stored: Array<{ serial: string }> = await this.db.query(
      `SELECT serial FROM callback_audit_samples WHERE audit_id = $1 ORDER BY position`,
      [id],
    );
    const storedSample = stored.map((s) => s.serial);
    const redrawn = drawSample(a.seed, a.population_serials, a.percent);
    const populationIntact =
      redrawn.populationHash === a.population_hash && redrawn.populationCount === a.population_count;
    const current: Array<{ serial: string }> = await this.db.query(
      `SELECT serial FROM warranty_cards WHERE dealer_code = $1 AND report_month = $2 AND status = 'ACCEPTED'`,
      [a.dealer_code, a.report_month],
    );
    const currentHash = populationHash(current.map((c) => c.serial));
    return {
      auditId: id,
      seed: a.seed,
      percent: a.percent,
      populationCount: a.population_count,
      populationHash: a.population_hash,
      populationIntact,
      storedSample,
      redrawnSample: redrawn.serials,
      matches: populationIntact && sameSample(storedSample, redrawn.serials),
      currentPopulation: { count: current.length, hash: currentHash, unchanged: currentHash === a.population_hash },
    };
  }

  /** R-AUD-1..3: records (or corrects, while the audit is open) the result for a sampled card and publishes it. */
  async recordResult(rawSerial: string, input: RecordResultInput, actor: Principal): Promise<AuditResultView> {
    const serial = normaliseSerial(rawSerial);
    return this.db.transaction(async (em) => {
      // The audit row is share-locked so a concurrent close waits for this recording (and vice versa).
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
      if (rows.length === 0) {
        const known: unknown[] = await em.query(`SELECT 1 FROM warranty_cards WHERE serial = $1 LIMIT 1`, [serial]);
        if (known.length === 0) throw notFoundProblem(`Warranty card ${serial} was not found.`);
      }
      const sampledIn: SampledCard[] = rows.map((r) => ({
        auditId: r.audit_id,
        auditStatus: r.status,
        dealerCode: r.dealer_code,
        reportMonth: r.report_month,
        serial: r.serial,
        model: r.model,
        result: r.result,
        note: r.note,
      }));
      const now = new Date();
      const decision = decideRecording(serial, sampledIn, input, now);
      const t = decision.target;
      if (!decision.changed) {
        const cur: Array<{ recorded_by: string; recorded_at: Date }> = await em.query(
          `SELECT recorded_by, recorded_at FROM callback_audit_samples WHERE audit_id = $1 AND serial = $2`,
          [t.auditId, serial],
        );
        return {
          auditId: t.auditId,
          dealerCode: t.dealerCode,
          reportMonth: t.reportMonth,
          serial,
          model: t.model,
          result: input.result,
          note: t.note,
          previousResult: t.result,
          changed: false,
          recordedBy: cur[0].recorded_by,
          recordedAt: iso(cur[0].recorded_at) as string,
          recordedOn: shanghaiDate(new Date(cur[0].recorded_at)),
        };
      }
      const note = input.note ?? null;
      await em.query(
        `UPDATE callback_audit_samples SET result = $3, note = $4, recorded_by = $5, recorded_at = $6 WHERE audit_id = $1 AND serial = $2`,
        [t.auditId, serial, input.result, note, actor.sub, now],
      );
      await this.outbox.enqueue(em, [
        { definition: CallbackAuditRecorded, dealerCode: t.dealerCode, payload: decision.event },
      ]);
      await this.audit.record(em, {
        action: 'callback-audit.result-recorded',
        entityType: 'warranty-card',
        entityId: serial,
        dealerCode: t.dealerCode,
        details: {
          auditId: t.auditId,
          reportMonth: t.reportMonth,
          result: input.result,
          previousResult: decision.previous,
          note,
          recordedOn: decision.event.recordedOn,
        },
      });
      return {
        auditId: t.auditId,
        dealerCode: t.dealerCode,
        reportMonth: t.reportMonth,
        serial,
        model: t.model,
        result: input.result,
        note,
        previousResult: decision.previous,
        changed: true,
        recordedBy: actor.sub,
        recordedAt: now.toISOString(),
        recordedOn: decision.event.recordedOn,
      };
    });
  }

  /** Ends an audit once every sampled card has a result; its results cannot change afterwards. Closing twice is harmless. */
  async close(id: string, actor: Principal): Promise<CallbackAuditView> {
    if (!isUuid(id)) throw notFoundProblem(`Callback audit ${id} was not found.`);
    await this.db.transaction(async (em) => {
      const rows: Array<{ status: CallbackAuditStatus; dealer_code: string }> = await em.query(
        `SELECT status, dealer_code FROM callback_audits WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (rows.length === 0) throw notFoundProblem(`Callback audit ${id} was not found.`);
      if (rows[0].status === 'CLOSED') return;
      const sample: Array<{ serial: string; result: AuditResult | null }> = await em.query(
        `SELECT serial, result FROM callback_audit_samples WHERE audit_id = $1 ORDER BY position`,
        [id],
      );
      const missing = missingResults(sample);
      if (missing.length > 0) {
        throw new DomainError(
          'AUDIT_RESULTS_MISSING',
          `Callback audit ${id} still has ${missing.length} sampled card(s) without a result.`,
          409,
          { serials: missing },
        );
      }
      await em.query(`UPDATE callback_audits SET status = 'CLOSED', closed_by = $2, closed_at = now() WHERE id = $1`, [
        id,
        actor.sub,
      ]);
      await this.audit.record(em, {
        action: 'callback-audit.closed',
        entityType: 'callback-audit',
        entityId: id,
        dealerCode: rows[0].dealer_code,
        details: {},
      });
    });
    return this.get(id);
  }

  private async findAudit(em: EntityManager, id: string): Promise<AuditRow> {
    const rows: AuditRow[] = isUuid(id)
      ? await em.query(`SELECT ${AUDIT_COLUMNS} FROM callback_audits a WHERE a.id = $1`, [id])
      : [];
    if (rows.length === 0) throw notFoundProblem(`Callback audit ${id} was not found.`);
    return rows[0];
  }

  private alreadyOpen(dealerCode: string, month: string, openId?: string): ProblemException {
    return new ProblemException({
      status: 409,
      type: 'audit-already-open',
      code: 'AUDIT_ALREADY_OPEN',
      detail: `Dealer ${dealerCode} already has an open callback audit for ${month}${openId ? ` (${openId})` : ''}; close it before drawing another.`,
      ...(openId ? { extra: { openAuditId: openId } } : {}),
    });
  }
}
