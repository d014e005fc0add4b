import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditChainHeadPublishedPayload } from '@app/contracts';

export interface AuditChainHeadRow extends AuditChainHeadPublishedPayload {
  receivedAt: string;
}

export interface AuditChainHeadFilter {
  service?: string;
  from?: string;
  to?: string;
  limit: number;
}

@Injectable()
export class AuditChainHeadsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Keeps a head; the first one kept for a service and day stays (a redelivery changes nothing). */
  async keep(em: EntityManager, head: AuditChainHeadPublishedPayload): Promise<void> {
    await em.query(
      `INSERT INTO audit_chain_heads (service, day, last_id, head_hash, entry_count) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (service, day) DO NOTHING`,
      [head.service, head.day, head.lastId, head.headHash, head.count],
    );
  }

  async list(filter: AuditChainHeadFilter): Promise<AuditChainHeadRow[]> {
    const rows: Array<Record<string, any>> = await this.dataSource.query(
      `SELECT service, to_char(day, 'YYYY-MM-DD') AS day, last_id, head_hash, entry_count, received_at
         FROM audit_chain_heads
        WHERE ($1::text IS NULL OR service = $1) AND ($2::date IS NULL OR day >= $2) AND ($3::date IS NULL OR day <= $3)
        ORDER BY day, service LIMIT $4`,
      [filter.service ?? null, filter.from ?? null, filter.to ?? null, filter.limit],
    );
    return rows.map((r) => ({
      service: r.service,
      day: r.day,
      lastId: String(r.last_id),
      headHash: r.head_hash,
      count: r.entry_count,
      receivedAt: (r.received_at as Date).toISOString(),
    }));
  }
}
