import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { EventEnvelope } from '@app/contracts';
import { isTimestampWithinLimits } from '@app/kernel';
import { decodePageCursor, invalidCursorProblem, Page, toPage } from '@app/platform';

/** `<ISO instant>|<uuid>` of the last item of a page listed newest first by (time, id). */
const TIME_ID_KEY = /^[0-9T:.Z-]{1,30}\|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The instant and id a (time, id) cursor carries; a forged one is a 400, never a value the database refuses. */
export function decodeTimeIdCursor(cursor: string | undefined): { at: string; id: string } | undefined {
  const key = decodePageCursor(cursor, TIME_ID_KEY);
  if (key === undefined) return undefined;
  const [at, id] = key.split('|');
  if (!isTimestampWithinLimits(at)) throw invalidCursorProblem();
  return { at, id };
}

export interface ConsumedEventFilter {
  dealer?: string;
  type?: string;
  /** Inclusive lower bound on occurredAt. */
  from?: Date;
  /** Exclusive upper bound on occurredAt. */
  to?: Date;
}

export interface ConsumedEventView {
  eventId: string;
  type: string;
  version: number;
  dealerCode: string;
  occurredAt: string;
  producer: string;
  correlationId: string;
  causationId: string | null;
  payload: unknown;
  consumedAt: string;
}

/** Every envelope settlement consumed, kept for auditors (GET /v1/events) and for replay checks. */
@Injectable()
export class ConsumedEventsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Called by every projection handler inside its transaction; idempotent on eventId. */
  async record(em: EntityManager, envelope: EventEnvelope<unknown>): Promise<void> {
    await em.query(
      `INSERT INTO consumed_events (event_id, type, version, dealer_code, occurred_at, producer, correlation_id, causation_id, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_id) DO NOTHING`,
      [
        envelope.eventId,
        envelope.type,
        envelope.version,
        envelope.dealerCode,
        envelope.occurredAt,
        envelope.producer,
        envelope.correlationId,
        envelope.causationId ?? null,
        JSON.stringify(envelope.payload),
      ],
    );
  }

  /** Newest first: (occurredAt, eventId) descending; `page.cursor` is the opaque cursor of the previous page. */
  async list(
    filter: ConsumedEventFilter,
    page: { limit: number; cursor?: string },
    em: EntityManager = this.db.manager,
  ): Promise<Page<ConsumedEventView>> {
    const after = decodeTimeIdCursor(page.cursor);
    const rows: any[] = await em.query(
      `SELECT event_id, type, version, dealer_code, occurred_at, producer, correlation_id, causation_id, payload, consumed_at
       FROM consumed_events
       WHERE ($1::text IS NULL OR dealer_code = $1) AND ($2::text IS NULL OR type = $2)
         AND ($3::timestamptz IS NULL OR occurred_at >= $3) AND ($4::timestamptz IS NULL OR occurred_at < $4)
         AND ($5::timestamptz IS NULL OR (occurred_at, event_id) < ($5::timestamptz, $6::uuid))
       ORDER BY occurred_at DESC, event_id DESC LIMIT $7`,
      [
        filter.dealer ?? null,
        filter.type ?? null,
        filter.from?.toISOString() ?? null,
        filter.to?.toISOString() ?? null,
        after?.at ?? null,
        after?.id ?? null,
        page.limit + 1,
      ],
    );
    const items = rows.map((r): ConsumedEventView => ({
      eventId: r.event_id,
      type: r.type,
      version: r.version,
      dealerCode: r.dealer_code,
      occurredAt: (r.occurred_at as Date).toISOString(),
      producer: r.producer,
      correlationId: r.correlation_id,
      causationId: r.causation_id,
      payload: r.payload,
      consumedAt: (r.consumed_at as Date).toISOString(),
    }));
    return toPage(items, page.limit, (e) => `${e.occurredAt}|${e.eventId}`);
  }
}
