import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MessagingMetrics } from '../messaging.metrics';

export interface GapView {
  id: string;
  topic: string;
  partition: number;
  fromSeq: number;
  toSeq: number;
  status: 'OPEN' | 'HEALED' | 'LOST' | 'ACKNOWLEDGED';
  filled: number;
  lost: number;
  detectedAt: string;
  closedAt: string | null;
  detail: string | null;
}

/**
 * Every gap a consumer group finds, kept in its database: logged once when found and once when
 * closed, counted in /metrics, and read by /health (an open gap, or one that lost events and was
 * not acknowledged, keeps the service degraded).
 */
export class GapLedger {
  private readonly logger = new Logger('EventGaps');
  private readonly open = new Map<
    string,
    { topic: string; partition: number; fromSeq: number; toSeq: number; since: number; waitingFor?: string }
  >();

  constructor(
    private readonly dataSource: DataSource,
    private readonly group: string,
    private readonly metrics: MessagingMetrics,
  ) {}

  async opened(topic: string, partition: number, fromSeq: number, toSeq: number, cause: string): Promise<string> {
    const [row] = await this.dataSource.query(
      `INSERT INTO consumer_gaps (consumer_group, topic, partition, from_seq, to_seq, status, detail)
       VALUES ($1, $2, $3, $4, $5, 'OPEN', $6) RETURNING id`,
      [this.group, topic, partition, fromSeq, toSeq, cause],
    );
    const id = String(row.id);
    this.open.set(id, { topic, partition, fromSeq, toSeq, since: Date.now() });
    this.metrics.gaps.inc({ topic, partition: String(partition) });
    this.metrics.openGaps.set(this.open.size);
    this.logger.warn(
      `gap in ${topic}[${partition}]: sequence ${fromSeq}..${toSeq} (${toSeq - fromSeq + 1} events) not received (${cause}); filling it from the producer`,
    );
    return id;
  }

  /** Shown by /health while the producer cannot be reached. */
  waiting(id: string, reason: string | undefined): void {
    const gap = this.open.get(id);
    if (gap) gap.waitingFor = reason;
  }

  async closed(id: string, filled: number, lost: number, lostRanges: string[]): Promise<void> {
    const gap = this.open.get(id);
    const status = lost > 0 ? 'LOST' : 'HEALED';
    await this.dataSource.query(
      `UPDATE consumer_gaps SET status = $2, filled = $3, lost = $4, closed_at = now(),
              detail = CASE WHEN $5::text IS NULL THEN detail ELSE coalesce(detail || '; ', '') || $5 END
        WHERE id = $1`,
      [id, status, filled, lost, lostRanges.length ? `lost: ${lostRanges.join(', ')}` : null],
    );
    this.open.delete(id);
    this.metrics.openGaps.set(this.open.size);
    if (!gap) return;
    // A process that died while filling left its gap OPEN; the range was filled again now.
    await this.dataSource.query(
      `UPDATE consumer_gaps SET status = 'HEALED', closed_at = now(), detail = coalesce(detail || '; ', '') || $5
        WHERE consumer_group = $1 AND topic = $2 AND partition = $3 AND status = 'OPEN' AND to_seq <= $4 AND NOT (id = ANY($6::bigint[]))`,
      [this.group, gap.topic, gap.partition, gap.toSeq, `filled again by gap ${id}`, [...this.open.keys()]],
    );
    this.metrics.gapEvents.inc({ topic: gap.topic, result: 'filled' }, filled);
    if (lost > 0) {
      this.metrics.gapEvents.inc({ topic: gap.topic, result: 'lost' }, lost);
      this.logger.error(
        `gap in ${gap.topic}[${gap.partition}] ${gap.fromSeq}..${gap.toSeq}: ${filled} events filled, ${lost} no longer kept by the producer (${lostRanges.join(', ')}); an operator must replay them from another copy or acknowledge the loss`,
      );
    } else {
      this.logger.log(
        `gap in ${gap.topic}[${gap.partition}] ${gap.fromSeq}..${gap.toSeq} healed: ${filled} events filled in ${Date.now() - gap.since} ms`,
      );
    }
    await this.refreshLostGauge();
  }

  async acknowledgeLost(topic: string, partition: number): Promise<number> {
    const [{ n }] = await this.dataSource.query(
      `WITH acknowledged AS (
         UPDATE consumer_gaps SET status = 'ACKNOWLEDGED'
          WHERE consumer_group = $1 AND topic = $2 AND partition = $3 AND status = 'LOST' RETURNING 1
       ) SELECT count(*)::int AS n FROM acknowledged`,
      [this.group, topic, partition],
    );
    await this.refreshLostGauge();
    return n;
  }

  openNow(): Array<{
    topic: string;
    partition: number;
    fromSeq: number;
    toSeq: number;
    openForMs: number;
    waitingFor: string | null;
  }> {
    return [...this.open.values()].map((g) => ({
      topic: g.topic,
      partition: g.partition,
      fromSeq: g.fromSeq,
      toSeq: g.toSeq,
      openForMs: Date.now() - g.since,
      waitingFor: g.waitingFor ?? null,
    }));
  }

  /** Gaps not healed: open ones (also those a crashed process left open) and unacknowledged losses. */
  async unresolved(): Promise<GapView[]> {
    const rows: any[] = await this.dataSource.query(
      `SELECT * FROM consumer_gaps WHERE consumer_group = $1 AND status IN ('OPEN', 'LOST') ORDER BY id`,
      [this.group],
    );
    return rows.map(toView).filter((g) => g.status === 'LOST' || this.open.has(g.id));
  }

  async list(limit: number): Promise<GapView[]> {
    const rows: any[] = await this.dataSource.query(
      `SELECT * FROM consumer_gaps WHERE consumer_group = $1 ORDER BY id DESC LIMIT $2`,
      [this.group, limit],
    );
    return rows.map(toView);
  }

  private async refreshLostGauge(): Promise<void> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM consumer_gaps WHERE consumer_group = $1 AND status = 'LOST'`,
      [this.group],
    );
    this.metrics.lostGaps.set(row.n);
  }
}

function toView(r: any): GapView {
  return {
    id: String(r.id),
    topic: r.topic,
    partition: r.partition,
    fromSeq: Number(r.from_seq),
    toSeq: Number(r.to_seq),
    status: r.status,
    filled: r.filled,
    lost: r.lost,
    detectedAt: new Date(r.detected_at).toISOString(),
    closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
    detail: r.detail,
  };
}
