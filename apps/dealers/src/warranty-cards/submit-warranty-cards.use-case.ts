import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { WarrantyCardsAccepted } from '@app/contracts';
import { monthsOfQuarter, quarterOfMonth } from '@app/kernel';
import { OutboxService } from '@app/messaging';
import { AuditLogService, copyRows, notFoundProblem, preparedQuery, Principal, textArrayLiteral } from '@app/platform';
import { MonthClosingService } from '../month-closing/month-closing.service';
import { ProductModelsService } from '../product-models/product-models.service';
import { ShipmentsService } from '../shipments/shipments.service';
import { SubDistributorsService } from '../sub-distributors/sub-distributors.service';
import {
  ALREADY_ACCEPTED,
  CardBatchContext,
  CardFlag,
  CardInput,
  evaluateBatch,
  normaliseCard,
  phoneReused,
} from './card-rules';
import { SerialClaim, SerialsInFlight, sortedUniqueStrings } from './serials-in-flight';
import { CardBatchResultView, CardResultView } from './warranty-card.dto';

interface Candidate {
  index: number;
  card: CardInput;
  flags: CardFlag[];
  /** The database took the card (set by insertAccepted). */
  stored?: boolean;
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

const CARD_COLUMNS = [
  'batch_id',
  'dealer_code',
  'report_month',
  'serial',
  'model',
  'sale_date',
  'outlet',
  'consumer_name',
  'phone',
  'address',
  'status',
  'flags',
];

/** A card's flags as one text[] literal ('{}' or '{PHONE_REUSED,…}'); flag names need no quoting. */
const flagsLiteral = (c: Candidate): string => `{${c.flags.join(',')}}`;

/** PostgreSQL unique_violation (23505). */
const isUniqueViolation = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === '23505';
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
    const batchId = randomUUID();
    const cards = rawCards.map((raw) => normaliseCard(raw, dealerCode));
    const serials = sortedUniqueStrings(cards.map((c) => c.serial));
    for (let attempt = 1; ; attempt += 1) {
      // Claimed before the lookups: a batch of this process that has released a serial has
      // committed it, so this batch's lookup sees it.
      const claim = this.inFlight.claim(serials);
      try {
        return await this.db.transaction((em) =>
          this.submitInTransaction(em, batchId, dealerCode, reportMonth, cards, serials, actor, claim),
        );
      } catch (err) {
        // Serials shared with batches of other instances can close a cycle of waits; the batch
        // PostgreSQL rolls back to break it is simply run again.
        if (!isDeadlock(err) || attempt === MAX_ATTEMPTS) throw err;
        this.logger.warn(
          `card batch ${batchId} of ${dealerCode} ${reportMonth} rolled back by a deadlock; attempt ${attempt + 1} of ${MAX_ATTEMPTS}`,
        );
      } finally {
        // Only now: until the transaction ends, a batch writing these serials would wait for it.
        claim.release();
      }
    }
  }

  private async submitInTransaction(
    em: EntityManager,
    batchId: string,
    dealerCode: string,
    reportMonth: string,
    cards: Record<string, unknown>[],
    serials: string[],
    actor: Principal,
    claim: SerialClaim,
  ): Promise<CardBatchResultView> {
    // FOR SHARE on the dealer: a QuarterApproved being applied (FOR UPDATE) either commits before
    // this batch reads closed_months, or waits until the batch is in (REPORT_CLOSED race-free).
    const dealer: unknown[] = await em.query('SELECT 1 FROM dealers WHERE code = $1 FOR SHARE', [dealerCode]);
    if (dealer.length === 0) throw notFoundProblem(`Dealer ${dealerCode} was not found.`);
    const ctx = await this.loadContext(em, dealerCode, reportMonth, cards, serials);

    const results: CardResultView[] = new Array(cards.length);
    const candidates: Candidate[] = [];
    evaluateBatch(cards, ctx).forEach((v, index) => {
      if (v.ok) {
        candidates.push({ index, card: v.card, flags: v.flags });
      } else {
        const serial = str(cards[index].serial) ? (cards[index].serial as string) : null;
        results[index] = {
          index,
          serial,
          status: 'REJECTED',
          code: v.code,
          field: v.field,
          reason: v.reason,
          flags: [],
        };
      }
    });

    await this.insertAccepted(em, batchId, dealerCode, reportMonth, candidates, claim.contended);
    const accepted = candidates.filter((c) => c.stored);
    if (accepted.length < candidates.length)
      await this.recountPhoneReuse(em, batchId, accepted, ctx.phoneCardsInQuarter);
    for (const c of candidates) {
      results[c.index] = c.stored
        ? { index: c.index, serial: c.card.serial, status: 'ACCEPTED', flags: c.flags }
        : {
            index: c.index,
            serial: c.card.serial,
            status: 'REJECTED',
            code: 'DUPLICATE_SERIAL',
            reason: ALREADY_ACCEPTED,
            flags: [],
          };
    }
    const rejected = results.length - accepted.length;
    // The batch keeps its rejections (accepted cards are rows of warranty_cards with this batch id).
    await em.query(
      `INSERT INTO warranty_card_batches (id, dealer_code, report_month, submitted_by, accepted_count, rejected_count, results)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        batchId,
        dealerCode,
        reportMonth,
        actor.sub,
        accepted.length,
        rejected,
        JSON.stringify(results.filter((r) => r.status === 'REJECTED')),
      ],
    );
    if (accepted.length > 0) {
      await this.outbox.enqueue(em, [
        {
          definition: WarrantyCardsAccepted,
          dealerCode,
          payload: {
            dealerCode,
            reportMonth,
            batchId,
            cards: accepted.map(({ card, flags }) => ({
              serial: card.serial,
              model: card.model,
              saleDate: card.saleDate,
              outlet: card.outlet,
              flags,
            })),
          },
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

  /**
   * Everything the rules need for the batch, in a few set-based queries (none per card). The
   * three keyed by the batch's serials and phones are prepared statements (preparedQuery).
   */
  private async loadContext(
    em: EntityManager,
    dealerCode: string,
    reportMonth: string,
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
    // Planned for the table as it is now: a generic plan cached while the table was small scans it
    // whole and compares every row with every element of the batch's array.
    await em.query('SET LOCAL plan_cache_mode = force_custom_plan');
    const shipments = await this.shipments.shippedAmong(serials, em);
    const takenSerials = await this.takenAmong(em, serials);
    const quarterMonths = monthsOfQuarter(quarterOfMonth(reportMonth));
    const phoneCardsInQuarter = await this.phoneCounts(
      em,
      phones,
      quarterMonths[0],
      quarterMonths[quarterMonths.length - 1],
    );
    return { ...base, outlets, models, shipments, phoneCardsInQuarter, takenSerials };
  }

  /** R-CARD-1 DUPLICATE_SERIAL: the serials that already have an accepted card, at any dealer. */
  private async takenAmong(em: EntityManager, serials: string[]): Promise<Set<string>> {
    if (serials.length === 0) return new Set();
    const rows = await preparedQuery<{ serial: string }>(
      em,
      'cards-taken-among',
      `SELECT serial FROM warranty_cards WHERE serial = ANY($1::text[]) AND status = 'ACCEPTED'`,
      [textArrayLiteral(serials)],
    );
    return new Set(rows.map((r) => r.serial));
  }

  /** R-CARD-1 PHONE_REUSED: accepted cards per phone in the quarter's months, across all dealers. */
  private async phoneCounts(
    em: EntityManager,
    phones: string[],
    firstMonth: string,
    lastMonth: string,
  ): Promise<Map<string, number>> {
    if (phones.length === 0) return new Map();
    const rows = await preparedQuery<{ phone: string; n: number }>(
      em,
      'cards-phone-counts',
      `SELECT phone, count(*)::int AS n FROM warranty_cards
       WHERE phone = ANY($1::text[]) AND report_month BETWEEN $2 AND $3 AND status = 'ACCEPTED' GROUP BY phone`,
      [textArrayLiteral(phones), firstMonth, lastMonth],
    );
    return new Map(rows.map((r) => [r.phone, r.n]));
  }

  /**
   * The database refused some candidates as duplicates: PHONE_REUSED is recounted over the cards
   * actually accepted, and the few stored cards whose flag changes are corrected (usually none).
   */
  private async recountPhoneReuse(
    em: EntityManager,
    batchId: string,
    accepted: Candidate[],
    stored: ReadonlyMap<string, number>,
  ): Promise<void> {
    const changed: Candidate[] = [];
    phoneReused(
      accepted.map((c) => c.card.phone),
      stored,
    ).forEach((reused, i) => {
      const c = accepted[i];
      if (reused === c.flags.includes('PHONE_REUSED')) return;
      c.flags = reused ? ['PHONE_REUSED', ...c.flags] : c.flags.filter((f) => f !== 'PHONE_REUSED');
      changed.push(c);
    });
    if (changed.length === 0) return;
    await em.query(
      `UPDATE warranty_cards w SET flags = u.flags::text[]
       FROM unnest($2::text[], $3::text[]) AS u(serial, flags)
       WHERE w.batch_id = $1 AND w.serial = u.serial AND w.status = 'ACCEPTED'`,
      [batchId, changed.map((c) => c.card.serial), changed.map(flagsLiteral)],
    );
  }

  /**
   * Stores the candidates (none of them accepted as of the batch's lookup) and marks those the
   * database took as `stored`. Fast path: COPY (multi-row heap writes) of the candidates no other
   * batch of this process is writing. Those another batch is writing (`contended`) are inserted
   * afterwards with ON CONFLICT, so the COPY never waits for that batch. A transaction elsewhere
   * committing one of the serials meanwhile makes the COPY fail on the unique index; the
   * savepoint then undoes it and INSERT … ON CONFLICT DO NOTHING decides card by card. Either
   * way the partial unique index is what guarantees one accepted card per serial.
   */
  private async insertAccepted(
    em: EntityManager,
    batchId: string,
    dealerCode: string,
    reportMonth: string,
    candidates: Candidate[],
    contended: ReadonlySet<string>,
  ): Promise<void> {
    if (candidates.length === 0) return;
    // Every batch writes in serial order, the serials another batch of this process holds last:
    // a batch only ever waits for batches that claimed before it, so batches of one process never
    // wait on each other in a cycle. A cycle through another instance is broken by PostgreSQL,
    // and the batch it rolls back is run again (execute).
    const sorted = [...candidates].sort((a, b) =>
      a.card.serial < b.card.serial ? -1 : a.card.serial > b.card.serial ? 1 : 0,
    );
    const own = contended.size === 0 ? sorted : sorted.filter((c) => !contended.has(c.card.serial));
    await this.copyFree(em, batchId, dealerCode, reportMonth, own);
    if (contended.size > 0) {
      await this.insertSkippingTaken(
        em,
        batchId,
        dealerCode,
        reportMonth,
        sorted.filter((c) => contended.has(c.card.serial)),
      );
    }
  }

  /** COPY of serials believed free; on a unique-index race, INSERT … ON CONFLICT instead. */
  private async copyFree(
    em: EntityManager,
    batchId: string,
    dealerCode: string,
    reportMonth: string,
    free: Candidate[],
  ): Promise<void> {
    if (free.length === 0) return;
    await em.query('SAVEPOINT card_copy');
    try {
      await copyRows(
        em,
        'warranty_cards',
        CARD_COLUMNS,
        free.map((c) => [
          batchId,
          dealerCode,
          reportMonth,
          c.card.serial,
          c.card.model,
          c.card.saleDate,
          c.card.outlet,
          c.card.consumerName,
          c.card.phone,
          c.card.address,
          'ACCEPTED',
          flagsLiteral(c),
        ]),
      );
      await em.query('RELEASE SAVEPOINT card_copy');
      for (const c of free) c.stored = true;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      await em.query('ROLLBACK TO SAVEPOINT card_copy');
      await this.insertSkippingTaken(em, batchId, dealerCode, reportMonth, free);
    }
  }

  /** Card by card against the unique index, in one statement: a serial already taken is skipped; the rest are marked stored. */
  private async insertSkippingTaken(
    em: EntityManager,
    batchId: string,
    dealerCode: string,
    reportMonth: string,
    sorted: Candidate[],
  ): Promise<void> {
    const col = <K extends keyof CardInput>(k: K) => textArrayLiteral(sorted.map((c) => c.card[k]));
    const flags = textArrayLiteral(sorted.map(flagsLiteral));
    const rows: Array<{ serial: string }> = await em.query(
      `INSERT INTO warranty_cards (${CARD_COLUMNS.join(', ')})
       SELECT $1, $2, $3, u.serial, u.model, u.sale_date, u.outlet, u.consumer_name, u.phone, u.address, 'ACCEPTED', u.flags::text[]
       FROM unnest($4::text[], $5::text[], $6::date[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
         AS u(serial, model, sale_date, outlet, consumer_name, phone, address, flags)
       ON CONFLICT (serial) WHERE status = 'ACCEPTED' DO NOTHING
       RETURNING serial`,
      [
        batchId,
        dealerCode,
        reportMonth,
        col('serial'),
        col('model'),
        col('saleDate'),
        col('outlet'),
        col('consumerName'),
        col('phone'),
        col('address'),
        flags,
      ],
    );
    const inserted = new Set(rows.map((r) => r.serial));
    for (const c of sorted) c.stored = inserted.has(c.card.serial);
  }
}
