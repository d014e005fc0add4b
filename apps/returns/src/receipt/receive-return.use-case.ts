import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DealerDirectoryService } from '@app/dealer-directory';
import {
  AuditLogService,
  Clock,
  dealerNotYetKnownProblem,
  dealerScope,
  decodePageCursor,
  fieldError,
  fieldErrorOf,
  messageRefOf,
  Page,
  Principal,
  SEQUENCE_KEY,
  validationProblem,
} from '@app/platform';
import { ReturnView } from '../applications/return.dto';
import { documentDate } from '../applications/application-rules';
import { ReturnChanges } from '../applications/return-changes';
import { ReturnsRepository } from '../applications/returns.repository';
import { admitGoods, assessReceipt, GoodsAdmission, ReturnStatus } from './receipt-rules';
import { ReceiveReturnDto, RecordRefusedGoodsDto, RefusedGoodsView } from './receipt.dto';
import { AlreadyReceivedProblem, NoApprovedApplicationProblem, ReturnApprovedProblem } from './receipt.problems';
import { ReceiptRepository } from './receipt.repository';
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
    private readonly returns: ReturnsRepository,
    private readonly receipts: ReceiptRepository,
    private readonly changes: ReturnChanges,
    private readonly directory: DealerDirectoryService,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  /**
   * R-RET-3: counts per line, refusals line by line; the counted quantity is what is charged.
   * R-RET-1: a return not approved cannot be received (409, nothing written); its goods are
   * recorded as refused with POST /v1/returns/unsolicited-receipts.
   * R-SET-10: dated by the receipt date on the document, today when not given, not before the application.
   */
  receive(principal: Principal, id: string, dto: ReceiveReturnDto): Promise<ReturnView> {
    return this.changes.apply(id, undefined, async (em, app) => {
      const admission = admitGoods(app.status);
      if (!admission.admit) {
        const reason = messageRefOf(admission) ?? admission.reason;
        if (admission.code === 'ALREADY_RECEIVED') throw new AlreadyReceivedProblem(id, app.status, reason);
        throw new NoApprovedApplicationProblem(id, app.status, reason);
      }
      const { lines: received, errors } = assessReceipt(await this.returns.linesOf(id, em), dto.lines);
      if (errors.length > 0) throw validationProblem(errors);
      const receivedOn = documentDate(
        {
          field: 'receivedOn',
          step: 'receipt',
          given: dto.receivedOn,
          follows: { field: 'applicationDate', step: 'application', date: app.applicationDate },
        },
        this.clock.today(),
      );
      await this.receipts.markReceived(em, id, received, {
        receivedBy: principal.sub,
        receivedOn,
        at: this.clock.now(),
      });
      await this.audit.record(em, {
        action: 'return.received',
        entityType: 'return',
        entityId: id,
        dealerCode: app.dealerCode,
        details: {
          receivedOn,
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
  }

  /** R-RET-1: goods that arrived with no approved application are recorded as refused; the loss is the dealer's. */
  async recordRefused(principal: Principal, dto: RecordRefusedGoodsDto): Promise<RefusedGoodsView> {
    if (!(await this.directory.findDealer(dto.dealerCode))) {
      throw dealerNotYetKnownProblem([
        fieldError('dealerCode', 'knownDealer', 'validation.fields.dealerNotKnownToReturns', { code: dto.dealerCode }),
      ]);
    }
    const id = randomUUID();
    return this.db.transaction(async (em) => {
      const admission = await this.refusal(em, dto);
      const stored = await this.receipts.insertRefused(em, {
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
      return toRefusedView(stored);
    });
  }

  /** Why the goods are refused: they name no application of the dealer, or one that is not approved. */
  private async refusal(
    em: EntityManager,
    dto: RecordRefusedGoodsDto,
  ): Promise<Extract<GoodsAdmission, { admit: false }>> {
    let status: ReturnStatus | null = null;
    if (dto.returnId) {
      const app = await this.returns.lock(em, dto.returnId).catch(() => null);
      if (!app || app.dealerCode !== dto.dealerCode) {
        const args = { returnId: dto.returnId, dealerCode: dto.dealerCode };
        throw validationProblem([
          fieldErrorOf('returnId', 'R-RET-1', { key: 'reasons.returns.notDealersApplication', args }),
        ]);
      }
      status = app.status;
    }
    const admission = admitGoods(status);
    if (admission.admit) throw new ReturnApprovedProblem(dto.returnId);
    if (admission.code === 'ALREADY_RECEIVED')
      throw new AlreadyReceivedProblem(dto.returnId, status, messageRefOf(admission) ?? admission.reason);
    return admission;
  }

  async listRefused(
    principal: Principal,
    query: { dealer?: string; limit?: number; cursor?: string },
  ): Promise<Page<RefusedGoodsView>> {
    const page = await this.receipts.pageRefused({
      dealer: dealerScope(principal, query.dealer),
      after: decodePageCursor(query.cursor, SEQUENCE_KEY),
      limit: query.limit ?? 100,
    });
    return { items: page.items.map(toRefusedView), nextCursor: page.nextCursor };
  }
}
