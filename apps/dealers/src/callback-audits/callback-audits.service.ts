import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CallbackAuditRecorded } from '@app/contracts';
import { shanghaiDate } from '@app/kernel';
import { OutboxService } from '@app/messaging';
import { AuditLogService, Clock, decodePageCursor, Page, Principal, SEQUENCE_KEY, toPage } from '@app/platform';
import { DealersService } from '../registry/dealers.service';
import {
  assertPercent,
  canonicalPopulation,
  drawSample,
  generateSeed,
  populationHash,
  sameSample,
} from './audit-sample';
import { decideRecording, missingResults, RecordingDecision, RecordResultInput } from './audit-result';
import {
  AuditResultView,
  CallbackAuditSummaryView,
  CallbackAuditView,
  DrawCallbackAuditDto,
  ListCallbackAuditsQuery,
  RedrawView,
} from './callback-audit.dto';
import { iso, toSampleView, toSummary } from './callback-audit-views';
import {
  AuditAlreadyOpenProblem,
  AuditResultsMissingError,
  callbackAuditNotFoundProblem,
  EmptyPopulationError,
  warrantyCardNotFoundProblem,
} from './callback-audits.problems';
import { CallbackAuditsRepository } from './callback-audits.repository';
import { drawWeightedSample } from './risk-sample';
import { CardRisk, riskHash, scoreCards } from './risk-signals';

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
    private readonly audits: CallbackAuditsRepository,
    private readonly dealers: DealersService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  async draw(dto: DrawCallbackAuditDto, actor: Principal): Promise<CallbackAuditView> {
    assertPercent(dto.percent);
    await this.dealers.requireExisting(dto.dealerCode);
    const id = randomUUID();
    await this.db.transaction((em) => this.drawInTransaction(em, id, dto, actor));
    return this.get(id);
  }

  /** R-AUD-1: one open audit per dealer and month; the sample is drawn over the accepted cards and stored with its snapshot. */
  private async drawInTransaction(
    em: EntityManager,
    id: string,
    dto: DrawCallbackAuditDto,
    actor: Principal,
  ): Promise<void> {
    const openId = await this.audits.openAuditId(em, dto.dealerCode, dto.month);
    if (openId) throw new AuditAlreadyOpenProblem(dto.dealerCode, dto.month, openId);
    const cards = await this.audits.acceptedCards(dto.dealerCode, dto.month, em);
    if (cards.length === 0) throw new EmptyPopulationError(dto.dealerCode, dto.month);
    const seedGenerated = dto.seed === undefined;
    const seed = dto.seed ?? generateSeed();
    const population = canonicalPopulation(cards.map((c) => c.serial));
    const weighting = dto.weighting ?? 'UNIFORM';
    const risk = weighting === 'RISK' ? await this.scorePopulation(em, dto, population) : null;
    const drawn = risk
      ? drawWeightedSample(seed, population, risk.scores, dto.percent)
      : drawSample(seed, population, dto.percent);
    const modelOf = new Map(cards.map((c) => [c.serial, c.model]));
    const riskOf = (serial: string) => risk?.bySerial.get(serial);
    const stored = await this.audits.insertOpen(em, {
      id,
      dealerCode: dto.dealerCode,
      month: dto.month,
      percent: dto.percent,
      seed,
      seedGenerated,
      populationCount: drawn.populationCount,
      populationHash: drawn.populationHash,
      population,
      weighting,
      populationScores: risk?.scores ?? null,
      riskHash: risk?.hash ?? null,
      sample: drawn.serials.map((serial) => ({
        serial,
        model: modelOf.get(serial) as string,
        score: riskOf(serial)?.score ?? null,
        signals: riskOf(serial)?.signals ?? null,
      })),
      drawnBy: actor.sub,
    });
    if (!stored) throw new AuditAlreadyOpenProblem(dto.dealerCode, dto.month);
    await this.audit.record(em, {
      action: 'callback-audit.drawn',
      entityType: 'callback-audit',
      entityId: id,
      dealerCode: dto.dealerCode,
      details: {
        reportMonth: dto.month,
        percent: dto.percent,
        weighting,
        ...(risk ? { riskHash: risk.hash } : {}),
        seedGenerated,
        populationCount: drawn.populationCount,
        populationHash: drawn.populationHash,
        sample: drawn.serials,
      },
    });
  }

  /**
   * R-AUD-1 weighting RISK: scores every card of the population from the stored facts; the scores,
   * in the population's canonical order, are the snapshot the sample is drawn (and redrawn) from.
   */
  private async scorePopulation(
    em: EntityManager,
    dto: DrawCallbackAuditDto,
    population: string[],
  ): Promise<{ scores: number[]; hash: string; bySerial: Map<string, CardRisk> }> {
    const facts = await this.audits.cardRiskFacts(em, dto.dealerCode, dto.month);
    const dealer = await this.audits.dealerRiskFacts(em, dto.dealerCode, dto.month);
    const bySerial = new Map(scoreCards(facts, dealer).map((r) => [r.serial, r]));
    const scores = population.map((serial) => bySerial.get(serial)?.score ?? 1);
    return { scores, hash: riskHash(population, scores), bySerial };
  }

  async get(id: string): Promise<CallbackAuditView> {
    const audit = isUuid(id) ? await this.audits.findSummary(id) : undefined;
    if (!audit) throw callbackAuditNotFoundProblem(id);
    const sample = await this.audits.sampleOf(id);
    return { ...toSummary(audit), sample: sample.map(toSampleView) };
  }

  async list(query: ListCallbackAuditsQuery): Promise<Page<CallbackAuditSummaryView>> {
    const limit = query.limit ?? 100;
    const rows = await this.audits.page(query, limit, decodePageCursor(query.cursor, SEQUENCE_KEY));
    const page = toPage(rows, limit, (r) => String(r.seq));
    return { items: page.items.map(toSummary), nextCursor: page.nextCursor };
  }

  /**
   * R-AUD-1: recomputes the sample from the stored seed over the stored population snapshot and
   * compares it with the stored sample; also says whether the month's cards have changed since.
   */
  async redraw(id: string): Promise<RedrawView> {
    const a = isUuid(id) ? await this.audits.findSnapshot(id) : undefined;
    if (!a) throw callbackAuditNotFoundProblem(id);
    const storedSample = (await this.audits.sampleOf(id)).map((s) => s.serial);
    const scores = a.population_scores;
    const redrawn =
      a.weighting === 'RISK' && scores
        ? drawWeightedSample(a.seed, a.population_serials, scores, a.percent)
        : drawSample(a.seed, a.population_serials, a.percent);
    const scoresIntact = a.weighting !== 'RISK' || (!!scores && riskHash(a.population_serials, scores) === a.risk_hash);
    const populationIntact =
      scoresIntact && redrawn.populationHash === a.population_hash && redrawn.populationCount === a.population_count;
    const current = await this.audits.acceptedCards(a.dealer_code, a.report_month);
    const currentHash = populationHash(current.map((c) => c.serial));
    return {
      auditId: id,
      seed: a.seed,
      percent: a.percent,
      populationCount: a.population_count,
      populationHash: a.population_hash,
      weighting: a.weighting,
      riskHash: a.risk_hash,
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
      const sampledIn = await this.audits.lockSamplingsOf(em, serial);
      if (sampledIn.length === 0 && !(await this.audits.cardExists(em, serial)))
        throw warrantyCardNotFoundProblem(serial);
      const now = this.clock.now();
      const decision = decideRecording(serial, sampledIn, input, now);
      if (!decision.changed) return this.unchangedResult(em, serial, input, decision);
      return this.applyResult(em, serial, input, decision, actor, now);
    });
  }

  /** The same result and note again: the answer of the recording that stands. */
  private async unchangedResult(
    em: EntityManager,
    serial: string,
    input: RecordResultInput,
    { target: t }: RecordingDecision,
  ): Promise<AuditResultView> {
    const cur = await this.audits.recordedBy(em, t.auditId, serial);
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
      recordedBy: cur.recorded_by,
      recordedAt: iso(cur.recorded_at) as string,
      recordedOn: shanghaiDate(new Date(cur.recorded_at)),
    };
  }

  private async applyResult(
    em: EntityManager,
    serial: string,
    input: RecordResultInput,
    decision: Extract<RecordingDecision, { changed: true }>,
    actor: Principal,
    now: Date,
  ): Promise<AuditResultView> {
    const t = decision.target;
    const note = input.note ?? null;
    await this.audits.setResult(em, t.auditId, serial, {
      result: input.result,
      note,
      recordedBy: actor.sub,
      recordedAt: now,
    });
    await this.outbox.enqueue(em, [
      { definition: CallbackAuditRecorded, dealerCode: t.dealerCode, payload: decision.event },
    ]);
    const { auditId, dealerCode, reportMonth } = t;
    const previousResult = decision.previous;
    const recordedOn = decision.event.recordedOn;
    await this.audit.record(em, {
      action: 'callback-audit.result-recorded',
      entityType: 'warranty-card',
      entityId: serial,
      dealerCode,
      details: { auditId, reportMonth, result: input.result, previousResult, note, recordedOn },
    });
    return {
      ...{ auditId, dealerCode, reportMonth, serial, model: t.model, result: input.result, note, previousResult },
      ...{ changed: true, recordedBy: actor.sub, recordedAt: now.toISOString(), recordedOn },
    };
  }

  /** Ends an audit once every sampled card has a result; its results cannot change afterwards. Closing twice is harmless. */
  async close(id: string, actor: Principal): Promise<CallbackAuditView> {
    if (!isUuid(id)) throw callbackAuditNotFoundProblem(id);
    await this.db.transaction(async (em) => {
      const audit = await this.audits.lockForClose(em, id);
      if (audit.status === 'CLOSED') return;
      const missing = missingResults(await this.audits.sampleResults(em, id));
      if (missing.length > 0) throw new AuditResultsMissingError(id, missing);
      await this.audits.markClosed(em, id, actor.sub);
      await this.audit.record(em, {
        action: 'callback-audit.closed',
        entityType: 'callback-audit',
        entityId: id,
        dealerCode: audit.dealerCode,
        details: {},
      });
    });
    return this.get(id);
  }
}
