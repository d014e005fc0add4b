import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DealerDirectoryService } from '@app/dealer-directory';
import {
  AuditLogService,
  Clock,
  dealerNotYetKnownProblem,
  dealerScope,
  decodePageCursor,
  Page,
  Principal,
  ProblemException,
  toPage,
  validationProblem,
} from '@app/platform';
import { ReturnView } from '../applications/return.dto';
import { ReturnApplicationEntity, ReturnLineEntity } from '../applications/return.entity';
import { ReturnsService } from '../applications/returns.service';
import { admitGoods, assessReceipt } from './receipt-rules';
import { ReceiveReturnDto, RecordRefusedGoodsDto, RefusedGoodsView } from './receipt.dto';
import { RefusedGoodsEntity } from './refused-goods.entity';

function toRefusedView(r: RefusedGoodsEntity): RefusedGoodsView {
  return {
    id: r.id,
    dealerCode: r.dealerCode,
    returnId: r.returnId,
    receivedOn: r.receivedOn,
    items: r.items,
    code: 'NO_APPROVED_APPLICATION',
    reason: r.reason,
    note: r.note,
  };
}

/** Receipt of returned goods (R-RET-3) and refusal of goods sent without an approved application (R-RET-1). */
@Injectable()
export class ReceiveReturnUseCase {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly returns: ReturnsService,
    private readonly directory: DealerDirectoryService,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  /**
   * R-RET-3: counts per line, refusals line by line; the counted quantity is what is charged.
   * R-RET-1: a return not approved cannot be received (409, nothing written); its goods are
   * recorded as refused with POST /v1/returns/unsolicited-receipts.
   */
  async receive(principal: Principal, id: string, dto: ReceiveReturnDto): Promise<ReturnView> {
    await this.db.transaction(async (em) => {
      const app = await this.returns.lock(em, id);
      const admission = admitGoods(app.status);
      if (!admission.admit) {
        throw new ProblemException({
          status: 409,
          type: admission.code === 'ALREADY_RECEIVED' ? 'return-status' : 'no-approved-application',
          code: admission.code,
          detail:
            admission.code === 'ALREADY_RECEIVED'
              ? `Return ${id} is ${app.status}; ${admission.reason}.`
              : `Return ${id} is ${app.status}: ${admission.reason}. Record the goods with POST /v1/returns/unsolicited-receipts.`,
        });
      }
      const lines = await em.find(ReturnLineEntity, { where: { returnId: id }, order: { lineNo: 'ASC' } });
      const { lines: received, errors } = assessReceipt(lines, dto.lines);
      if (errors.length > 0) throw validationProblem(errors);
      for (const r of received) {
        await em.update(
          ReturnLineEntity,
          { returnId: id, lineNo: r.lineNo },
          {
            countedQuantity: r.countedQuantity,
            refusedFor: r.refusedFor,
            refusalNote: r.refusalNote,
            chargedQuantity: r.chargedQuantity,
          },
        );
      }
      await em.update(
        ReturnApplicationEntity,
        { id },
        { status: 'RECEIVED', receivedBy: principal.sub, receivedOn: this.clock.today(), updatedAt: new Date() },
      );
      await this.audit.record(em, {
        action: 'return.received',
        entityType: 'return',
        entityId: id,
        dealerCode: app.dealerCode,
        details: {
          lines: received.map((r) => ({
            lineNo: r.lineNo,
            declared: r.declaredQuantity,
            counted: r.countedQuantity,
            refusedFor: r.refusedFor,
            charged: r.chargedQuantity,
          })),
        },
      });
    });
    return this.returns.view(id);
  }

  /** R-RET-1: goods that arrived with no approved application are recorded as refused; the loss is the dealer's. */
  async recordRefused(principal: Principal, dto: RecordRefusedGoodsDto): Promise<RefusedGoodsView> {
    if (!(await this.directory.findDealer(dto.dealerCode))) {
      throw dealerNotYetKnownProblem([
        {
          field: 'dealerCode',
          rule: 'knownDealer',
          message: `dealer ${dto.dealerCode} is not known to the returns service yet`,
        },
      ]);
    }
    const id = randomUUID();
    return this.db.transaction(async (em) => {
      let status: ReturnApplicationEntity['status'] | null = null;
      if (dto.returnId) {
        const app = await this.returns.lock(em, dto.returnId).catch(() => null);
        if (!app || app.dealerCode !== dto.dealerCode) {
          throw validationProblem([
            {
              field: 'returnId',
              rule: 'R-RET-1',
              message: `return ${dto.returnId} is not an application of dealer ${dto.dealerCode}`,
            },
          ]);
        }
        status = app.status;
      }
      const admission = admitGoods(status);
      if (admission.admit) {
        throw new ProblemException({
          status: 409,
          type: 'return-approved',
          code: 'RETURN_APPROVED',
          detail: `Return ${dto.returnId} is approved; receive its goods with POST /v1/returns/${dto.returnId}/receive.`,
        });
      }
      if (admission.code === 'ALREADY_RECEIVED') {
        throw new ProblemException({
          status: 409,
          type: 'return-status',
          code: 'ALREADY_RECEIVED',
          detail: `Return ${dto.returnId} is ${status}; ${admission.reason}.`,
        });
      }
      await em.insert(RefusedGoodsEntity, {
        id,
        dealerCode: dto.dealerCode,
        returnId: dto.returnId ?? null,
        receivedOn: this.clock.today(),
        items: dto.items.map((i) => ({ serial: i.serial, model: i.model, quantity: i.quantity })),
        reason: admission.reason,
        note: dto.note ?? null,
        recordedBy: principal.sub,
      });
      await this.audit.record(em, {
        action: 'return.goods-refused',
        entityType: 'refused-goods',
        entityId: id,
        dealerCode: dto.dealerCode,
        details: { returnId: dto.returnId ?? null, items: dto.items.length, reason: admission.reason },
      });
      return toRefusedView(await em.findOneByOrFail(RefusedGoodsEntity, { id }));
    });
  }

  async listRefused(
    principal: Principal,
    query: { dealer?: string; limit?: number; cursor?: string },
  ): Promise<Page<RefusedGoodsView>> {
    const limit = query.limit ?? 100;
    const after = decodePageCursor(query.cursor);
    const qb = this.db
      .getRepository(RefusedGoodsEntity)
      .createQueryBuilder('g')
      .orderBy('g.seq', 'ASC')
      .limit(limit + 1);
    const dealer = dealerScope(principal, query.dealer);
    if (dealer) qb.andWhere('g.dealerCode = :dealer', { dealer });
    if (after !== undefined) {
      if (!/^\d{1,18}$/.test(after))
        throw validationProblem([{ field: 'cursor', rule: 'cursor', message: 'not a cursor returned by this list' }]);
      qb.andWhere('g.seq > :after', { after });
    }
    const page = toPage(await qb.getMany(), limit, (g) => String(g.seq));
    return { items: page.items.map(toRefusedView), nextCursor: page.nextCursor };
  }
}
