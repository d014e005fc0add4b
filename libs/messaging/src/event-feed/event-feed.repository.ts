import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** One numbered message as the relay sent it. */
export interface FeedItem {
  topic: string;
  partition: number;
  seq: number;
  key: string;
  eventId: string;
  type: string;
  headers: Record<string, string>;
  /** The message value exactly as sent (JSON text). */
  value: string;
  publishedAt: string | null;
}

export interface FeedPage {
  topic: string;
  partition: number;
  items: FeedItem[];
  /** More messages of the requested range follow the last item (the page was cut by count or size). */
  more: boolean;
  /** Lowest sequence still kept for the partition (older rows are past retention); null when none is kept. */
  retainedFromSeq: number | null;
  /** Highest sequence given so far in the partition; 0 when none. */
  lastSeq: number;
}

export interface FeedHead {
  partition: number;
  /** Highest sequence given in the partition. */
  lastSeq: number;
  /** Highest sequence published at least `settledAfterMs` ago: a consumer should have it by now. */
  settledSeq: number;
}

/** A page stops after the item that brings it past this many bytes of values (a card batch is ~500 KB). */
export const FEED_PAGE_BYTES = 8 * 1024 * 1024;

/** The producer's side of gap filling: its outbox, read by (topic, partition, sequence). */
@Injectable()
export class EventFeedRepository {
  constructor(private readonly dataSource: DataSource) {}

  async page(
    topic: string,
    partition: number,
    fromSeq: number,
    toSeq: number | null,
    limit: number,
  ): Promise<FeedPage> {
    type Row = {
      seq: string;
      message_key: string;
      event_id: string;
      type: string;
      headers: Record<string, string>;
      value: string;
      published_at: Date | null;
      before: string;
    };
    const found: Row[] = await this.dataSource.query(
      `SELECT seq, message_key, event_id, type, headers, value, published_at,
              coalesce(sum(octet_length(value)) OVER (ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
         FROM (SELECT seq, message_key, event_id, type, headers, envelope::text AS value, published_at
                 FROM outbox_messages
                WHERE topic = $1 AND partition = $2 AND seq >= $3 AND ($4::bigint IS NULL OR seq <= $4)
                ORDER BY seq LIMIT $5) AS page
        ORDER BY seq`,
      [topic, partition, fromSeq, toSeq, limit + 1],
    );
    const rows = found.filter((r, i) => i < limit && (i === 0 || Number(r.before) < FEED_PAGE_BYTES));
    const [bounds] = await this.dataSource.query(
      `SELECT (SELECT min(seq) FROM outbox_messages WHERE topic = $1 AND partition = $2 AND seq IS NOT NULL) AS retained_from,
              (SELECT last_seq FROM outbox_sequences WHERE topic = $1 AND partition = $2) AS last_seq`,
      [topic, partition],
    );
    return {
      topic,
      partition,
      more: found.length > rows.length,
      items: rows.map((r) => ({
        topic,
        partition,
        seq: Number(r.seq),
        key: r.message_key,
        eventId: r.event_id,
        type: r.type,
        headers: { ...r.headers, 'event-seq': String(r.seq) },
        value: r.value,
        publishedAt: r.published_at ? r.published_at.toISOString() : null,
      })),
      retainedFromSeq: bounds.retained_from === null ? null : Number(bounds.retained_from),
      lastSeq: bounds.last_seq === null ? 0 : Number(bounds.last_seq),
    };
  }

  async heads(topic: string, settledAfterMs: number): Promise<FeedHead[]> {
    const rows: Array<{ partition: number; last_seq: string; settled_seq: string | null }> =
      await this.dataSource.query(
        `SELECT s.partition, s.last_seq,
              (SELECT m.seq FROM outbox_messages m
                WHERE m.topic = s.topic AND m.partition = s.partition AND m.seq IS NOT NULL
                  AND m.published_at < now() - make_interval(secs => $2::double precision / 1000)
                ORDER BY m.seq DESC LIMIT 1) AS settled_seq
         FROM outbox_sequences s
        WHERE s.topic = $1
        ORDER BY s.partition`,
        [topic, settledAfterMs],
      );
    return rows.map((r) => ({
      partition: r.partition,
      lastSeq: Number(r.last_seq),
      settledSeq: r.settled_seq === null ? 0 : Number(r.settled_seq),
    }));
  }
}
