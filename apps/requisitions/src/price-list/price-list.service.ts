import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isDateWithinLimits } from '@app/kernel';
import {
  AuditLogService,
  decodePageCursor,
  notFoundProblem,
  Page,
  Principal,
  ProblemException,
  toPage,
  validationProblem,
} from '@app/platform';
import { Clock } from '@app/platform';
import { checkImportRows, checkPriceRow, FieldError, priceInForce, PriceVersion, versionConflict } from './price-rules';
import { ImportResultView, PartView, PriceVersionView, SetPartPriceDto } from './part.dto';

export const MAX_IMPORT_ROWS = 5000;
/** Dates as text: pg would turn them into JS Dates at local midnight. */
const PRICE_COLUMNS = `part_no, name, list_price, cost_price, effective_from::text AS effective_from, created_by, created_at`;

interface PriceRow {
  part_no: string;
  name: string;
  list_price: string;
  cost_price: string;
  effective_from: string;
  created_by: string;
  created_at: Date;
}

const toVersionView = (r: PriceRow): PriceVersionView => ({
  name: r.name,
  listPrice: r.list_price,
  costPrice: r.cost_price,
  effectiveFrom: r.effective_from,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
});
const toVersion = (r: PriceRow): PriceVersion => ({
  partNo: r.part_no,
  name: r.name,
  listPrice: r.list_price,
  costPrice: r.cost_price,
  effectiveFrom: r.effective_from,
});

/** R-PRT-1: the effective-dated price list. */
@Injectable()
export class PriceListService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  /** Stores a new price version; the same version again is a replay (200), other values for a stored date a 409. */
  async setPrice(
    partNo: string,
    dto: SetPartPriceDto,
    actor: Principal,
  ): Promise<{ created: boolean; part: PartView }> {
    const { row, errors } = checkPriceRow({ partNo, ...dto });
    if (!row) throw validationProblem(errors);
    const created = await this.db.transaction(async (em) => {
      const outcome = await this.store(em, [row], actor);
      if (outcome.conflicts.length) {
        throw new ProblemException({
          status: 409,
          type: 'price-version-exists',
          code: 'PRICE_VERSION_EXISTS',
          detail: `${partNo} already has other prices effective from ${row.effectiveFrom}; a price version is never rewritten — set a new effectiveFrom.`,
        });
      }
      if (outcome.created) {
        await this.audit.record(em, {
          action: 'part-price.set',
          entityType: 'part',
          entityId: partNo,
          details: { ...row },
        });
      }
      return outcome.created > 0;
    });
    return { created, part: await this.get(partNo, row.effectiveFrom) };
  }

  /** All-or-nothing bulk import: every row is checked before anything is written. */
  async import(rawRows: unknown[], source: 'json' | 'csv', actor: Principal): Promise<ImportResultView> {
    if (rawRows.length === 0)
      throw validationProblem([{ field: 'rows', rule: 'arrayNotEmpty', message: 'the import has no rows' }]);
    if (rawRows.length > MAX_IMPORT_ROWS)
      throw validationProblem([
        { field: 'rows', rule: 'arrayMaxSize', message: `at most ${MAX_IMPORT_ROWS} rows per import` },
      ]);
    const { rows, errors } = checkImportRows(rawRows as Record<string, unknown>[]);
    if (errors.length) throw validationProblem(errors);
    return this.db.transaction(async (em) => {
      const outcome = await this.store(em, rows, actor);
      if (outcome.conflicts.length) {
        throw new ProblemException({
          status: 409,
          type: 'price-version-exists',
          code: 'PRICE_VERSION_EXISTS',
          detail: `${outcome.conflicts.length} row(s) would rewrite a stored price version; nothing was imported.`,
          errors: outcome.conflicts,
        });
      }
      await this.audit.record(em, {
        action: 'part-price.imported',
        entityType: 'price-import',
        entityId: `${source}:${rows.length}`,
        details: { source, received: rows.length, created: outcome.created },
      });
      return { received: rows.length, created: outcome.created, unchanged: rows.length - outcome.created };
    });
  }

  private async store(
    em: EntityManager,
    rows: PriceVersion[],
    actor: Principal,
  ): Promise<{ created: number; conflicts: FieldError[] }> {
    const existing: PriceRow[] = await em.query(
      `SELECT p.part_no, p.name, p.list_price, p.cost_price, p.effective_from::text AS effective_from FROM part_prices p JOIN unnest($1::text[], $2::date[]) AS k(part_no, effective_from)
         ON p.part_no = k.part_no AND p.effective_from = k.effective_from FOR UPDATE OF p`,
      [rows.map((r) => r.partNo), rows.map((r) => r.effectiveFrom)],
    );
    const byKey = new Map(existing.map((r) => [`${r.part_no}@${r.effective_from}`, toVersion(r)]));
    const conflicts: FieldError[] = [];
    const fresh: PriceVersion[] = [];
    rows.forEach((row, i) => {
      const verdict = versionConflict(byKey.get(`${row.partNo}@${row.effectiveFrom}`), row);
      if (verdict === 'CONFLICT')
        conflicts.push({
          field: `rows[${i + 1}].effectiveFrom`,
          rule: 'R-PRT-1',
          message: `row ${i + 1}: ${row.partNo} already has other prices effective from ${row.effectiveFrom}`,
        });
      if (verdict === 'NEW') fresh.push(row);
    });
    if (conflicts.length || fresh.length === 0) return { created: 0, conflicts };
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
        fresh.map(() => actor.sub),
      ],
    );
    if (inserted.length !== fresh.length) {
      throw new ProblemException({
        status: 409,
        type: 'concurrent-price-change',
        code: 'CONCURRENT_PRICE_CHANGE',
        detail: 'Another change stored some of these versions meanwhile; retry.',
      });
    }
    return { created: inserted.length, conflicts };
  }

  async get(partNo: string, on?: string): Promise<PartView> {
    const day = this.checkedDate(on);
    const rows: PriceRow[] = await this.db.query(
      `SELECT ${PRICE_COLUMNS} FROM part_prices WHERE part_no = $1 ORDER BY effective_from`,
      [partNo],
    );
    if (rows.length === 0) throw notFoundProblem(`Part ${partNo} is not in the price list.`);
    const inForce = priceInForce(
      rows.map((r) => ({ ...r, effectiveFrom: r.effective_from })),
      day,
    );
    return { partNo, on: day, priceInForce: inForce ? toVersionView(inForce) : null, history: rows.map(toVersionView) };
  }

  async list(limit: number, cursor: string | undefined, on?: string): Promise<Page<PartView>> {
    const day = this.checkedDate(on);
    const after = decodePageCursor(cursor);
    const parts: Array<{ part_no: string }> = await this.db.query(
      `SELECT DISTINCT part_no FROM part_prices WHERE ($1::text IS NULL OR part_no > $1) ORDER BY part_no LIMIT $2`,
      [after ?? null, limit + 1],
    );
    const page = toPage(parts, limit, (p) => p.part_no);
    const rows: PriceRow[] = await this.db.query(
      `SELECT ${PRICE_COLUMNS} FROM part_prices WHERE part_no = ANY($1) ORDER BY part_no, effective_from`,
      [page.items.map((p) => p.part_no)],
    );
    const items = page.items.map(({ part_no }) => {
      const history = rows.filter((r) => r.part_no === part_no);
      const inForce = priceInForce(
        history.map((r) => ({ ...r, effectiveFrom: r.effective_from })),
        day,
      );
      return {
        partNo: part_no,
        on: day,
        priceInForce: inForce ? toVersionView(inForce) : null,
        history: history.map(toVersionView),
      };
    });
    return { items, nextCursor: page.nextCursor };
  }

  /** Every version of the given parts, for valuing requisition lines (R-PRT-1). */
  async versionsOf(
    partNos: readonly string[],
    em: EntityManager = this.db.manager,
  ): Promise<Map<string, PriceVersion[]>> {
    const rows: PriceRow[] = await em.query(
      `SELECT ${PRICE_COLUMNS} FROM part_prices WHERE part_no = ANY($1) ORDER BY part_no, effective_from`,
      [[...new Set(partNos)]],
    );
    const map = new Map<string, PriceVersion[]>();
    for (const r of rows) {
      const list = map.get(r.part_no) ?? [];
      list.push(toVersion(r));
      map.set(r.part_no, list);
    }
    return map;
  }

  private checkedDate(on: string | undefined): string {
    if (on === undefined) return this.clock.today();
    if (!isDateWithinLimits(on)) {
      throw validationProblem([
        {
          field: 'on',
          rule: 'calendarDate',
          message: 'on must be a calendar date YYYY-MM-DD from 2000-01-01 to 2099-12-31',
        },
      ]);
    }
    return on;
  }
}
