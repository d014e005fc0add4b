import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { copyRows, preparedQuery, textArrayLiteral } from '@app/platform';
import { CardFlag, CardInput } from './card-rules';
import { WarrantyCardEntity } from './warranty-card.entity';

/** A card the rules accepted, on its way into warranty_cards. */
export interface CardCandidate {
  index: number;
  card: CardInput;
  flags: CardFlag[];
  /** The database took the card (set by insertAccepted). */
  stored?: boolean;
}

/** The batch the cards are stored under. */
export interface CardBatchKey {
  batchId: string;
  dealerCode: string;
  reportMonth: string;
}

export interface CardListFilter {
  dealerCode?: string;
  month?: string;
  status?: string;
  flag?: string;
}

/** The columns a card row is written with, in COPY order. */
export const CARD_COLUMNS = [
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
const flagsLiteral = (c: CardCandidate): string => `{${c.flags.join(',')}}`;

/** PostgreSQL unique_violation (23505). */
const isUniqueViolation = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === '23505';

const bySerial = (a: CardCandidate, b: CardCandidate) =>
  a.card.serial < b.card.serial ? -1 : a.card.serial > b.card.serial ? 1 : 0;

/** warranty_cards and warranty_card_batches. */
@Injectable()
export class WarrantyCardsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Up to `limit + 1` cards, newest first (id descending), after the cursor key. */
  page(filter: CardListFilter, limit: number, after?: string): Promise<WarrantyCardEntity[]> {
    const qb = this.db
      .getRepository(WarrantyCardEntity)
      .createQueryBuilder('c')
      .orderBy('c.id', 'DESC')
      .limit(limit + 1);
    if (after !== undefined) qb.andWhere('c.id < :after', { after });
    if (filter.dealerCode) qb.andWhere('c.dealer_code = :dealer', { dealer: filter.dealerCode });
    if (filter.month) qb.andWhere('c.report_month = :month', { month: filter.month });
    if (filter.status) qb.andWhere('c.status = :status', { status: filter.status });
    if (filter.flag) qb.andWhere(':flag = ANY(c.flags)', { flag: filter.flag });
    return qb.getMany();
  }

  findById(em: EntityManager, id: string): Promise<WarrantyCardEntity> {
    return em.findOneByOrFail(WarrantyCardEntity, { id });
  }

  /**
   * Plans the batch's lookups for the table as it is now: a generic plan cached while the table
   * was small scans it whole and compares every row with every element of the batch's array.
   */
  async planForCurrentSize(em: EntityManager): Promise<void> {
    await em.query('SET LOCAL plan_cache_mode = force_custom_plan');
  }

  /** R-CARD-1 DUPLICATE_SERIAL: the serials that already have an accepted card, at any dealer. */
  async takenAmong(em: EntityManager, serials: string[]): Promise<Set<string>> {
    if (serials.length === 0) return new Set();
    const rows = await preparedQuery<{ serial: string }>(
      em,
      'cards-taken-among',
      `SELECT serial FROM warranty_cards WHERE serial = ANY($1::text[]) AND status = 'ACCEPTED'`,
      [textArrayLiteral(serials)],
    );
    return new Set(rows.map((r) => r.serial));
  }

  /** R-CARD-1 PHONE_REUSED: accepted cards per phone in the months from `firstMonth` to `lastMonth`, across all dealers. */
  async phoneCounts(
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

  /** Rewrites the flags of the batch's stored cards among `changed`. */
  async correctFlags(em: EntityManager, batchId: string, changed: CardCandidate[]): Promise<void> {
    if (changed.length === 0) return;
    await em.query(
      `UPDATE warranty_cards w SET flags = u.flags::text[]
       FROM unnest($2::text[], $3::text[]) AS u(serial, flags)
       WHERE w.batch_id = $1 AND w.serial = u.serial AND w.status = 'ACCEPTED'`,
      [batchId, changed.map((c) => c.card.serial), changed.map(flagsLiteral)],
    );
  }

  /** The batch with its counts and the answers for its rejected cards. */
  async insertBatch(
    em: EntityManager,
    key: CardBatchKey,
    submittedBy: string,
    counts: { accepted: number; rejected: number },
    rejections: unknown[],
  ): Promise<void> {
    await em.query(
      `INSERT INTO warranty_card_batches (id, dealer_code, report_month, submitted_by, accepted_count, rejected_count, results)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        key.batchId,
        key.dealerCode,
        key.reportMonth,
        submittedBy,
        counts.accepted,
        counts.rejected,
        JSON.stringify(rejections),
      ],
    );
  }

  /** DOMAIN §3: the dealer's accepted card of the month becomes WITHDRAWN; null when there is none. */
  async markWithdrawn(
    em: EntityManager,
    dealerCode: string,
    reportMonth: string,
    serial: string,
    withdrawnBy: string,
  ): Promise<{ id: string; batchId: string } | null> {
    // TypeORM answers an UPDATE … RETURNING with [rows, rowCount].
    const [rows]: [Array<{ id: string; batch_id: string }>, number] = await em.query(
      `UPDATE warranty_cards SET status = 'WITHDRAWN', withdrawn_at = now(), withdrawn_by = $4
       WHERE dealer_code = $1 AND report_month = $2 AND serial = $3 AND status = 'ACCEPTED'
       RETURNING id, batch_id`,
      [dealerCode, reportMonth, serial, withdrawnBy],
    );
    return rows.length === 0 ? null : { id: rows[0].id, batchId: rows[0].batch_id };
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
  async insertAccepted(
    em: EntityManager,
    key: CardBatchKey,
    candidates: CardCandidate[],
    contended: ReadonlySet<string>,
  ): Promise<void> {
    if (candidates.length === 0) return;
    // Every batch writes in serial order, the serials another batch of this process holds last:
    // a batch only ever waits for batches that claimed before it, so batches of one process never
    // wait on each other in a cycle. A cycle through another instance is broken by PostgreSQL,
    // and the batch it rolls back is run again (SubmitWarrantyCardsUseCase.execute).
    const sorted = [...candidates].sort(bySerial);
    const own = contended.size === 0 ? sorted : sorted.filter((c) => !contended.has(c.card.serial));
    await this.copyFree(em, key, own);
    if (contended.size > 0) {
      await this.insertSkippingTaken(
        em,
        key,
        sorted.filter((c) => contended.has(c.card.serial)),
      );
    }
  }

  /** COPY of serials believed free; on a unique-index race, INSERT … ON CONFLICT instead. */
  private async copyFree(em: EntityManager, key: CardBatchKey, free: CardCandidate[]): Promise<void> {
    if (free.length === 0) return;
    await em.query('SAVEPOINT card_copy');
    try {
      await copyRows(
        em,
        'warranty_cards',
        CARD_COLUMNS,
        free.map((c) => [
          key.batchId,
          key.dealerCode,
          key.reportMonth,
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
      await this.insertSkippingTaken(em, key, free);
    }
  }

  /** Card by card against the unique index, in one statement: a serial already taken is skipped; the rest are marked stored. */
  private async insertSkippingTaken(em: EntityManager, key: CardBatchKey, sorted: CardCandidate[]): Promise<void> {
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
        key.batchId,
        key.dealerCode,
        key.reportMonth,
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
