import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { PriceVersion } from './price-rules';

/** Dates as text: pg would turn them into JS Dates at local midnight. */
const PRICE_COLUMNS = `part_no, name, list_price, cost_price, effective_from::text AS effective_from, created_by, created_at`;

export interface PriceRow {
  part_no: string;
  name: string;
  list_price: string;
  cost_price: string;
  effective_from: string;
  created_by: string;
  created_at: Date;
}

export const toVersion = (r: Pick<PriceRow, 'part_no' | 'name' | 'list_price' | 'cost_price' | 'effective_from'>) => ({
  partNo: r.part_no,
  name: r.name,
  listPrice: r.list_price,
  costPrice: r.cost_price,
  effectiveFrom: r.effective_from,
});

/** The effective-dated price versions of the parts (R-PRT-1); a version is never rewritten. */
@Injectable()
export class PriceListRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The stored versions with the same part and date as the given rows, locked for the caller's transaction. */
  async lockVersionsLike(em: EntityManager, rows: readonly PriceVersion[]): Promise<PriceVersion[]> {
    const existing: PriceRow[] = await em.query(
      `SELECT p.part_no, p.name, p.list_price, p.cost_price, p.effective_from::text AS effective_from FROM part_prices p JOIN unnest($1::text[], $2::date[]) AS k(part_no, effective_from)
         ON p.part_no = k.part_no AND p.effective_from = k.effective_from FOR UPDATE OF p`,
      [rows.map((r) => r.partNo), rows.map((r) => r.effectiveFrom)],
    );
    return existing.map(toVersion);
  }

  /** Inserts the versions not stored meanwhile; returns how many it inserted. */
  async insertVersions(em: EntityManager, fresh: readonly PriceVersion[], createdBy: string): Promise<number> {
    const inserted: unknown[] = await em.query(
      `INSERT INTO part_prices (part_no, name, list_price, cost_price, effective_from, created_by)
       SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[], $4::numeric[], $5::date[], $6::text[])
       ON CONFLICT (part_no, effective_from) DO NOTHING RETURNING id`,
      [
        fresh.map((r) => r.partNo),
        fresh.map((r) => r.name),
        fresh.map((r) => r.listPrice),
        fresh.map((r) => r.costPrice),
        fresh.map((r) => r.effectiveFrom),
        fresh.map(() => createdBy),
      ],
    );
    return inserted.length;
  }

  /** Every version of the given parts, by part and date. */
  historiesOf(partNos: readonly string[], em: EntityManager = this.db.manager): Promise<PriceRow[]> {
    return em.query(
      `SELECT ${PRICE_COLUMNS} FROM part_prices WHERE part_no = ANY($1) ORDER BY part_no, effective_from`,
      [[...new Set(partNos)]],
    );
  }

  /** Part numbers after `after` in order (`limit + 1` of them, so the caller sees whether more follow). */
  async partNosAfter(after: string | null, limit: number): Promise<string[]> {
    const parts: Array<{ part_no: string }> = await this.db.query(
      `SELECT DISTINCT part_no FROM part_prices WHERE ($1::text IS NULL OR part_no > $1) ORDER BY part_no LIMIT $2`,
      [after, limit + 1],
    );
    return parts.map((p) => p.part_no);
  }
}
