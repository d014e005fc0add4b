import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { lockRow, Page, toPage } from '@app/platform';
import type { ReturnStatus } from '../receipt/receipt-rules';
import { ReturnApplicationEntity, ReturnChargeEntity, ReturnLineEntity, ReturnPartEntity } from './return.entity';
import { returnNotFound, ReturnStatusProblem } from './returns.problems';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type NewApplication = Pick<
  ReturnApplicationEntity,
  'id' | 'dealerCode' | 'applicationDate' | 'applicationMonth' | 'note' | 'appliedBy'
>;
export type NewLine = Omit<
  ReturnLineEntity,
  | 'returnId'
  | 'returnClass'
  | 'classReason'
  | 'batchDefectId'
  | 'countedQuantity'
  | 'refusedFor'
  | 'refusalNote'
  | 'chargedQuantity'
>;
export type LineClass = Pick<ReturnLineEntity, 'lineNo' | 'returnClass' | 'classReason' | 'batchDefectId'>;

export interface ReturnFilter {
  dealer?: string;
  status?: ReturnStatus;
  month?: string;
  /** The seq of the last return of the previous page. */
  after?: string;
  limit: number;
}

/** Return applications and their lines, parts and charges. */
@Injectable()
export class ReturnsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The application, 404 when the id is not one (a malformed id is simply not found). */
  async find(id: string, em: EntityManager = this.db.manager): Promise<ReturnApplicationEntity> {
    const app = UUID.test(id) ? await em.findOneBy(ReturnApplicationEntity, { id }) : null;
    if (!app) throw returnNotFound(id);
    return app;
  }

  /**
   * The opening of a state change in the caller's transaction: locks the application (404 when
   * there is none) and, with `allowed`, refuses one in another status: "only a <allowed> return can be <action>".
   */
  lock(em: EntityManager, id: string, allowed?: { status: ReturnStatus; action: string }) {
    if (!UUID.test(id)) throw returnNotFound(id);
    return lockRow(
      em,
      ReturnApplicationEntity,
      { id },
      {
        notFound: () => returnNotFound(id),
        allowed: allowed && [allowed.status],
        wrongState: (app) => new ReturnStatusProblem(app, allowed!.action, allowed!.status),
      },
    );
  }

  async insert(em: EntityManager, app: NewApplication, lines: readonly NewLine[]): Promise<void> {
    await em.insert(ReturnApplicationEntity, { ...app, status: 'APPLIED' });
    await em.insert(
      ReturnLineEntity,
      lines.map((l) => ({ ...l, returnId: app.id })),
    );
  }

  linesOf(id: string, em: EntityManager = this.db.manager): Promise<ReturnLineEntity[]> {
    return em.find(ReturnLineEntity, { where: { returnId: id }, order: { lineNo: 'ASC' } });
  }

  partsOf(id: string): Promise<ReturnPartEntity[]> {
    return this.db.getRepository(ReturnPartEntity).find({ where: { returnId: id }, order: { seq: 'ASC' } });
  }

  chargesOf(id: string): Promise<ReturnChargeEntity[]> {
    return this.db.getRepository(ReturnChargeEntity).find({ where: { returnId: id }, order: { seq: 'ASC' } });
  }

  /** R-RET-2: the approved class of each line; the application becomes APPROVED. */
  async markApproved(
    em: EntityManager,
    id: string,
    lines: readonly LineClass[],
    decision: { decidedBy: string; decidedOn: string; at: Date },
  ): Promise<void> {
    for (const line of lines) {
      await em.update(
        ReturnLineEntity,
        { returnId: id, lineNo: line.lineNo },
        { returnClass: line.returnClass, classReason: line.classReason, batchDefectId: line.batchDefectId },
      );
    }
    await em.update(
      ReturnApplicationEntity,
      { id },
      { status: 'APPROVED', decidedBy: decision.decidedBy, decidedOn: decision.decidedOn, updatedAt: decision.at },
    );
  }

  async markRejected(
    em: EntityManager,
    id: string,
    decision: { decidedBy: string; decidedOn: string; reason: string; at: Date },
  ): Promise<void> {
    await em.update(
      ReturnApplicationEntity,
      { id },
      {
        status: 'REJECTED',
        decidedBy: decision.decidedBy,
        decidedOn: decision.decidedOn,
        rejectionReason: decision.reason,
        updatedAt: decision.at,
      },
    );
  }

  /** A page of applications, newest first (seq descending). */
  async page(f: ReturnFilter): Promise<Page<ReturnApplicationEntity>> {
    const qb = this.db
      .getRepository(ReturnApplicationEntity)
      .createQueryBuilder('r')
      .orderBy('r.seq', 'DESC')
      .limit(f.limit + 1);
    if (f.dealer) qb.andWhere('r.dealerCode = :dealer', { dealer: f.dealer });
    if (f.status) qb.andWhere('r.status = :status', { status: f.status });
    if (f.month) qb.andWhere('r.applicationMonth = :month', { month: f.month });
    if (f.after !== undefined) qb.andWhere('r.seq < :after', { after: f.after });
    return toPage(await qb.getMany(), f.limit, (r) => String(r.seq));
  }

  /** How many lines each of the given returns has. */
  async lineCounts(ids: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (ids.length === 0) return counts;
    const rows: Array<{ return_id: string; n: number }> = await this.db.query(
      `SELECT return_id, count(*)::int AS n FROM return_lines WHERE return_id = ANY($1::uuid[]) GROUP BY return_id`,
      [ids],
    );
    for (const r of rows) counts.set(r.return_id, r.n);
    return counts;
  }
}
