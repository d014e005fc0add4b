import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { WarrantyCardsAccepted } from '@app/contracts';
import { monthsOfQuarter, quarterOfMonth } from '@app/kernel';
import { OutboxService } from '@app/messaging';
import { AuditLogService, Principal } from '@app/platform';
import { MonthClosingService } from '../month-closing/month-closing.service';
import { ProductModelsService } from '../product-models/product-models.service';
import { DealersService } from '../registry/dealers.service';
import { ShipmentsService } from '../shipments/shipments.service';
import { SubDistributorsService } from '../sub-distributors/sub-distributors.service';
import { candidateResult, recountPhoneReuse, splitVerdicts } from './card-batch-results';
import { CardBatchContext, evaluateBatch, normaliseCard } from './card-rules';
import { SerialClaim, SerialsInFlight, sortedUniqueStrings } from './serials-in-flight';
import { CardBatchResultView, CardResultView } from './warranty-card.dto';
import { CardBatchKey, CardCandidate, WarrantyCardsRepository } from './warranty-cards.repository';

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** PostgreSQL deadlock_detected (40P01): the transaction was chosen to be rolled back. */
const isDeadlock = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === '40P01';

/** Attempts of a batch whose transaction PostgreSQL rolled back to break a deadlock. */
const MAX_ATTEMPTS = 3;

@Injectable()
export class SubmitWarrantyCardsUseCase {
  private readonly logger = new Logger(SubmitWarrantyCardsUseCase.name);
  private readonly inFlight = new SerialsInFlight();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cards: WarrantyCardsRepository,
    private readonly dealers: DealersService,
    private readonly monthClosing: MonthClosingService,
    private readonly subDistributors: SubDistributorsService,
    private readonly models: ProductModelsService,
    private readonly shipments: ShipmentsService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
  ) {}

  /**
   * R-CARD-1: each card is accepted or rejected on its own. The lookups the rules need are
   * loaded once for the batch (a few set-based queries, none per card); duplicates are decided
   * by the partial unique index at insert time, so two dealers sending the same serial at once
   * get exactly one acceptance. The batch, its accepted cards and its event commit together.
   */
  async execute(
    dealerCode: string,
    reportMonth: string,
    rawCards: Record<string, unknown>[],
    actor: Principal,
  ): Promise<CardBatchResultView> {
    const key: CardBatchKey = { batchId: randomUUID(), dealerCode, reportMonth };
    const cards = rawCards.map((raw) => normaliseCard(raw, dealerCode));
    const serials = sortedUniqueStrings(cards.map((c) => c.serial));
    for (let attempt = 1; ; attempt += 1) {
      // Claimed before the lookups: a batch of this process that has released a serial has
      // committed it, so this batch's lookup sees it.
      const claim = this.inFlight.claim(serials);
      try {
        return await this.db.transaction((em) => this.submitInTransaction(em, key, cards, serials, actor, claim));
      } catch (err) {
        // Serials shared with batches of other instances can close a cycle of waits; the batch
        // PostgreSQL rolls back to break it is simply run again.
        if (!isDeadlock(err) || attempt === MAX_ATTEMPTS) throw err;
        this.logger.warn(
          `card batch ${key.batchId} of ${dealerCode} ${reportMonth} rolled back by a deadlock; attempt ${attempt + 1} of ${MAX_ATTEMPTS}`,
        );
      } finally {
        // Only now: until the transaction ends, a batch writing these serials would wait for it.
        claim.release();
      }
    }
  }

  private async submitInTransaction(
    em: EntityManager,
    key: CardBatchKey,
    cards: Record<string, unknown>[],
    serials: string[],
    actor: Principal,
    claim: SerialClaim,
  ): Promise<CardBatchResultView> {
    // FOR SHARE on the dealer: a QuarterApproved being applied (FOR UPDATE) either commits before
    // this batch reads closed_months, or waits until the batch is in (REPORT_CLOSED race-free).
    await this.dealers.lockExisting(em, key.dealerCode);
    const ctx = await this.loadContext(em, key, cards, serials);
    const { results, candidates } = splitVerdicts(cards, evaluateBatch(cards, ctx));
    await this.cards.insertAccepted(em, key, candidates, claim.contended);
    const accepted = candidates.filter((c) => c.stored);
    if (accepted.length < candidates.length)
      await this.cards.correctFlags(em, key.batchId, recountPhoneReuse(accepted, ctx.phoneCardsInQuarter));
    for (const c of candidates) results[c.index] = candidateResult(c);
    return this.recordBatch(em, key, actor, results, accepted);
  }

  /**
   * Everything the rules need for the batch, in a few set-based queries (none per card). The
   * three keyed by the batch's serials and phones are prepared statements (preparedQuery).
   */
  private async loadContext(
    em: EntityManager,
    { dealerCode, reportMonth }: CardBatchKey,
    cards: Record<string, unknown>[],
    serials: string[],
  ): Promise<CardBatchContext> {
    const base = {
      dealerCode,
      reportMonth,
      phoneCardsInQuarter: new Map<string, number>(),
      takenSerials: new Set<string>(),
    };
    if (await this.monthClosing.isClosed(dealerCode, reportMonth, em)) {
      return { ...base, reportClosed: true, outlets: new Set(), models: new Set(), shipments: new Map() };
    }
    // A phone repeated in the array costs the index scan nothing, so the array is not deduplicated.
    const phones = cards.map((c) => c.phone).filter(str);
    const outlets = await this.subDistributors.outletsOf(dealerCode, em);
    const models = await this.models.knownAmong(cards.map((c) => c.model).filter(str), em);
    await this.cards.planForCurrentSize(em);
    const shipments = await this.shipments.shippedAmong(serials, em);
    const takenSerials = await this.cards.takenAmong(em, serials);
    const quarterMonths = monthsOfQuarter(quarterOfMonth(reportMonth));
    const phoneCardsInQuarter = await this.cards.phoneCounts(
      em,
      phones,
      quarterMonths[0],
      quarterMonths[quarterMonths.length - 1],
    );
    return { ...base, outlets, models, shipments, phoneCardsInQuarter, takenSerials };
  }

  /** The batch row (keeping its rejections), the event for its accepted cards and the audit entry. */
  private async recordBatch(
    em: EntityManager,
    key: CardBatchKey,
    actor: Principal,
    results: CardResultView[],
    accepted: CardCandidate[],
  ): Promise<CardBatchResultView> {
    const { batchId, dealerCode, reportMonth } = key;
    const rejected = results.length - accepted.length;
    // Accepted cards are rows of warranty_cards with this batch id.
    const rejections = results.filter((r) => r.status === 'REJECTED');
    await this.cards.insertBatch(em, key, actor.sub, { accepted: accepted.length, rejected }, rejections);
    if (accepted.length > 0) {
      const acceptedCards = accepted.map(({ card, flags }) => ({
        serial: card.serial,
        model: card.model,
        saleDate: card.saleDate,
        outlet: card.outlet,
        flags,
      }));
      await this.outbox.enqueue(em, [
        {
          definition: WarrantyCardsAccepted,
          dealerCode,
          payload: { dealerCode, reportMonth, batchId, cards: acceptedCards },
        },
      ]);
    }
    await this.audit.record(em, {
      action: 'warranty-cards.submitted',
      entityType: 'warranty-card-batch',
      entityId: batchId,
      dealerCode,
      details: { reportMonth, accepted: accepted.length, rejected },
    });
    return { batchId, dealerCode, reportMonth, accepted: accepted.length, rejected, results };
  }
}
