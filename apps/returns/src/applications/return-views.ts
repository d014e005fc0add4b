import { Injectable } from '@nestjs/common';
import { DealerDirectoryService } from '@app/dealer-directory';
import { assertDealerAccess, dealerScope, decodePageCursor, Page, Principal, SEQUENCE_KEY } from '@app/platform';
import { BatchDefectsRepository } from '../batch-defects/batch-defects.repository';
import { chargeFacts } from '../charges/assess-return-charges';
import { ClassifiedReturnLine, classifyLines } from '../classification/classify-lines';
import { ListReturnsQuery, ReturnLineView, ReturnSummaryView, ReturnView } from './return.dto';
import { ReturnApplicationEntity, ReturnLineEntity } from './return.entity';
import { ReturnsRepository } from './returns.repository';

export function toSummaryView(a: ReturnApplicationEntity, lineCount: number): ReturnSummaryView {
  return {
    id: a.id,
    dealerCode: a.dealerCode,
    status: a.status,
    applicationDate: a.applicationDate,
    lineCount,
    returnClass: a.returnClass,
    closedOn: a.closedOn,
    dealerTotal: a.dealerTotal,
  };
}

function toLineView(l: ReturnLineEntity, c: ClassifiedReturnLine | undefined): ReturnLineView {
  return {
    lineNo: l.lineNo,
    serial: l.serial,
    model: l.model,
    reason: l.reason,
    quantity: l.quantity,
    receiptDate: l.receiptDate,
    saleDate: l.saleDate,
    repairAttempted: l.repairAttempted,
    transportDamage: l.transportDamage,
    classification: c ? { ...c.classification, batchDefectId: c.batchDefectId } : null,
    returnClass: l.returnClass,
    classReason: l.classReason,
    countedQuantity: l.countedQuantity,
    refusedFor: l.refusedFor,
    refusalNote: l.refusalNote,
    chargedQuantity: l.chargedQuantity,
  };
}

/** How returns read: one with its lines classified as of the application date (R-RET-2), or a page of them. */
@Injectable()
export class ReturnViews {
  constructor(
    private readonly returns: ReturnsRepository,
    private readonly directory: DealerDirectoryService,
    private readonly batchDefects: BatchDefectsRepository,
  ) {}

  /** One return, 404 for another dealer's (no existence leak). */
  async get(principal: Principal, id: string): Promise<ReturnView> {
    const app = await this.returns.find(id);
    assertDealerAccess(principal, app.dealerCode);
    return this.view(id);
  }

  async list(principal: Principal, query: ListReturnsQuery): Promise<Page<ReturnSummaryView>> {
    const page = await this.returns.page({
      dealer: dealerScope(principal, query.dealer),
      status: query.status,
      month: query.month,
      after: decodePageCursor(query.cursor, SEQUENCE_KEY),
      limit: query.limit ?? 100,
    });
    const counts = await this.returns.lineCounts(page.items.map((r) => r.id));
    return { items: page.items.map((r) => toSummaryView(r, counts.get(r.id) ?? 0)), nextCursor: page.nextCursor };
  }

  /** The full view: lines with their R-RET-2 classification as of the application date, receipt, parts and charges. */
  async view(id: string): Promise<ReturnView> {
    const app = await this.returns.find(id);
    const [lines, parts, charges] = await Promise.all([
      this.returns.linesOf(id),
      this.returns.partsOf(id),
      this.returns.chargesOf(id),
    ]);
    const terms = await this.directory.termsForMonth(app.dealerCode, app.applicationMonth);
    const defects = await this.batchDefects.forModels([...new Set(lines.map((l) => l.model))]);
    const classified = classifyLines(lines, terms, app.applicationDate, defects);
    return {
      ...toSummaryView(app, lines.length),
      note: app.note,
      appliedBy: app.appliedBy,
      termsVersion: terms?.version ?? null,
      decidedBy: app.decidedBy,
      decidedOn: app.decidedOn,
      rejectionReason: app.rejectionReason,
      receivedOn: app.receivedOn,
      carrierBillNo: app.carrierBillNo,
      inboundFreight: app.inboundFreight,
      outboundFreight: app.outboundFreight,
      manufacturerTotal: app.manufacturerTotal,
      lines: lines.map((l) => toLineView(l, classified.get(l.lineNo))),
      parts: parts.map((p) => ({ lineNo: p.lineNo, partNo: p.partNo, quantity: p.quantity, listPrice: p.listPrice })),
      charges: charges.map(chargeFacts),
    };
  }
}
