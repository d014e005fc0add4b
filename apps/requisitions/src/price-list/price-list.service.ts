import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PartPriceSet } from '@app/contracts';
import { isDateWithinLimits } from '@app/kernel';
import { OutboxService } from '@app/messaging';
import {
  AuditLogService,
  Clock,
  decodePageCursor,
  notFoundProblem,
  Page,
  Principal,
  problemText,
  toPage,
  validationProblem,
  fieldErrorOf,
} from '@app/platform';
import { ConcurrentPriceChangeProblem, PriceVersionExistsProblem } from './price-list.problems';
import { PriceListRepository, PriceRow, toVersion } from './price-list.repository';
import { checkImportRows, checkPriceRow, FieldError, priceInForce, PriceVersion, versionConflict } from './price-rules';
import { ImportResultView, PartView, PriceVersionView, SetPartPriceDto } from './part.dto';

export const MAX_IMPORT_ROWS = 5000;

const toVersionView = (r: PriceRow): PriceVersionView => ({
  name: r.name,
  listPrice: r.list_price,
  costPrice: r.cost_price,
  effectiveFrom: r.effective_from,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
});

/** A part with its price in force on `day` and its whole history. */
function partView(partNo: string, day: string, history: readonly PriceRow[]): PartView {
  const inForce = priceInForce(
    history.map((r) => ({ ...r, effectiveFrom: r.effective_from })),
    day,
  );
  return {
    partNo,
    on: day,
    priceInForce: inForce ? toVersionView(inForce) : null,
    history: history.map(toVersionView),
  };
}

/** R-PRT-1: the effective-dated price list. */
@Injectable()
export class PriceListService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly versions: PriceListRepository,
    private readonly audit: AuditLogService,
    private readonly outbox: OutboxService,
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
        throw new PriceVersionExistsProblem(
          problemText('priceVersionExists.one', { partNo, effectiveFrom: row.effectiveFrom }),
        );
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
      throw validationProblem([fieldErrorOf('rows', 'arrayNotEmpty', { key: 'reasons.priceList.noRows' })]);
    if (rawRows.length > MAX_IMPORT_ROWS)
      throw validationProblem([
        fieldErrorOf('rows', 'arrayMaxSize', { key: 'reasons.priceList.tooManyRows', args: { max: MAX_IMPORT_ROWS } }),
      ]);
    const { rows, errors } = checkImportRows(rawRows as Record<string, unknown>[]);
    if (errors.length) throw validationProblem(errors);
    return this.db.transaction(async (em) => {
      const outcome = await this.store(em, rows, actor);
      if (outcome.conflicts.length) {
        throw new PriceVersionExistsProblem(
          problemText('priceVersionExists.many', { count: outcome.conflicts.length }),
          outcome.conflicts,
        );
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
    const existing = await this.versions.lockVersionsLike(em, rows);
    const byKey = new Map(existing.map((v) => [`${v.partNo}@${v.effectiveFrom}`, v]));
    const conflicts: FieldError[] = [];
    const fresh: PriceVersion[] = [];
    rows.forEach((row, i) => {
      const verdict = versionConflict(byKey.get(`${row.partNo}@${row.effectiveFrom}`), row);
      if (verdict === 'CONFLICT')
        conflicts.push(
          fieldErrorOf(`rows[${i + 1}].effectiveFrom`, 'R-PRT-1', {
            key: 'reasons.priceList.versionExists',
            args: { row: i + 1, partNo: row.partNo, effectiveFrom: row.effectiveFrom },
          }),
        );
      if (verdict === 'NEW') fresh.push(row);
    });
    if (conflicts.length || fresh.length === 0) return { created: 0, conflicts };
    const inserted = await this.versions.insertVersions(em, fresh, actor.sub);
    // Another change may have stored some of them between the check and the insert.
    if (inserted !== fresh.length) throw new ConcurrentPriceChangeProblem();
    await this.publish(em, fresh);
    return { created: inserted, conflicts };
  }

  /**
   * One PartPriceSet per version stored, in the transaction that stores it (the returns service values
   * refurbishment parts with them, R-RET-4). Keyed by part number: the event concerns no dealer.
   */
  private async publish(em: EntityManager, versions: readonly PriceVersion[]): Promise<void> {
    await this.outbox.enqueue(
      em,
      versions.map((v) => ({
        definition: PartPriceSet,
        dealerCode: v.partNo,
        payload: {
          partNo: v.partNo,
          name: v.name,
          listPrice: v.listPrice,
          costPrice: v.costPrice,
          effectiveFrom: v.effectiveFrom,
        },
      })),
    );
  }

  async get(partNo: string, on?: string): Promise<PartView> {
    const day = this.checkedDate(on);
    const rows = await this.versions.historiesOf([partNo]);
    if (rows.length === 0) throw notFoundProblem(problemText('partNotInPriceList', { partNo }));
    return partView(partNo, day, rows);
  }

  async list(limit: number, cursor: string | undefined, on?: string): Promise<Page<PartView>> {
    const day = this.checkedDate(on);
    const after = decodePageCursor(cursor);
    const page = toPage(await this.versions.partNosAfter(after ?? null, limit), limit, (p) => p);
    const rows = await this.versions.historiesOf(page.items);
    const items = page.items.map((partNo) =>
      partView(
        partNo,
        day,
        rows.filter((r) => r.part_no === partNo),
      ),
    );
    return { items, nextCursor: page.nextCursor };
  }

  /** Every version of the given parts, for valuing requisition lines (R-PRT-1). */
  async versionsOf(
    partNos: readonly string[],
    em: EntityManager = this.db.manager,
  ): Promise<Map<string, PriceVersion[]>> {
    const map = new Map<string, PriceVersion[]>();
    for (const r of await this.versions.historiesOf(partNos, em)) {
      const list = map.get(r.part_no) ?? [];
      list.push(toVersion(r));
      map.set(r.part_no, list);
    }
    return map;
  }

  private checkedDate(on: string | undefined): string {
    if (on === undefined) return this.clock.today();
    if (!isDateWithinLimits(on)) {
      throw validationProblem([fieldErrorOf('on', 'calendarDate', { key: 'reasons.priceList.on' })]);
    }
    return on;
  }
}
