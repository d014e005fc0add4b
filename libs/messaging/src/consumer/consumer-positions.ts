import { DataSource, EntityManager } from 'typeorm';

const keyOf = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/**
 * The next sequence number a consumer group expects in each topic-partition. The database row is
 * the truth: an applied or dead-lettered event moves it in the same transaction as its effect.
 * Events no handler wants only move the in-memory value; `flush` stores it before their Kafka
 * offsets are committed, so a committed offset never runs ahead of the stored position.
 */
export class ConsumerPositions {
  private readonly expected = new Map<string, number>();
  private readonly stored = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly group: string,
  ) {}

  /** Forgets what this process believed (after a rebalance another member may have moved on). */
  forget(): void {
    this.expected.clear();
    this.stored.clear();
  }

  async next(topic: string, partition: number): Promise<number> {
    const key = keyOf(topic, partition);
    const known = this.expected.get(key);
    if (known !== undefined) return known;
    const rows: Array<{ next_seq: string }> = await this.dataSource.query(
      `SELECT next_seq FROM inbox_positions WHERE consumer_group = $1 AND topic = $2 AND partition = $3`,
      [this.group, topic, partition],
    );
    const next = rows.length ? Number(rows[0].next_seq) : 1;
    this.expected.set(key, next);
    this.stored.set(key, next);
    return next;
  }

  /** Moves the expectation past `seq` in memory only. */
  passed(topic: string, partition: number, seq: number): void {
    const key = keyOf(topic, partition);
    if ((this.expected.get(key) ?? 1) <= seq) this.expected.set(key, seq + 1);
  }

  /** Records that the database row says `next` (after a transaction moved it). */
  storedAs(topic: string, partition: number, next: number): void {
    const key = keyOf(topic, partition);
    this.stored.set(key, Math.max(this.stored.get(key) ?? 1, next));
    if ((this.expected.get(key) ?? 1) < next) this.expected.set(key, next);
  }

  /** True when memory is ahead of the database row. */
  dirty(topic: string, partition: number): boolean {
    const key = keyOf(topic, partition);
    return (this.expected.get(key) ?? 1) > (this.stored.get(key) ?? 1);
  }

  async flush(topic: string, partition: number): Promise<void> {
    if (!this.dirty(topic, partition)) return;
    const next = this.expected.get(keyOf(topic, partition))!;
    await this.dataSource.query(
      `INSERT INTO inbox_positions (consumer_group, topic, partition, next_seq) VALUES ($1, $2, $3, $4)
       ON CONFLICT (consumer_group, topic, partition)
       DO UPDATE SET next_seq = GREATEST(inbox_positions.next_seq, EXCLUDED.next_seq), updated_at = now()`,
      [this.group, topic, partition, next],
    );
    this.storedAs(topic, partition, next);
  }

  /**
   * In the event's transaction: locks the partition's row (members of the group take turns) and
   * returns the stored next sequence, creating the row at `seq` when there is none.
   */
  async lock(em: EntityManager, topic: string, partition: number, seq: number): Promise<number> {
    await em.query(
      `INSERT INTO inbox_positions (consumer_group, topic, partition, next_seq) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [this.group, topic, partition, seq],
    );
    const [row] = await em.query(
      `SELECT next_seq FROM inbox_positions WHERE consumer_group = $1 AND topic = $2 AND partition = $3 FOR UPDATE`,
      [this.group, topic, partition],
    );
    return Number(row.next_seq);
  }

  /** In the event's transaction: moves the row past `seq` (never backwards). */
  async move(em: EntityManager, topic: string, partition: number, seq: number): Promise<void> {
    await em.query(
      `UPDATE inbox_positions SET next_seq = GREATEST(next_seq, $4), updated_at = now()
        WHERE consumer_group = $1 AND topic = $2 AND partition = $3`,
      [this.group, topic, partition, seq + 1],
    );
  }
}
