import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AgreementVersionFacts, DealerDirectoryService } from '@app/dealer-directory';
import {
  AuditLogService,
  dealerNotYetKnownProblem,
  dealerScope,
  decodePageCursor,
  notFoundProblem,
  Page,
  Principal,
  ProblemException,
  ProblemFieldError,
  assertDealerAccess,
  toPage,
  validationProblem,
  Clock,
} from '@app/platform';
import { matchBatchDefect } from '../batch-defects/batch-defect-match';
import { BatchDefectEntity } from '../batch-defects/batch-defect.entity';
import { BatchDefectsService } from '../batch-defects/batch-defects.service';
import { approveClasses } from '../classification/approve-classes';
import { classifyReturnLine, LineClassification } from '../classification/classify-return-line';
import {
  ApplyReturnDto,
  ApproveReturnDto,
  ClassificationView,
  ListReturnsQuery,
  RejectReturnDto,
  ReturnSummaryView,
  ReturnView,
} from './return.dto';
import { ReturnApplicationEntity, ReturnChargeEntity, ReturnLineEntity, ReturnPartEntity } from './return.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

/** Classifies each line as of the application date with the terms of its month (R-AGR-1, R-RET-2). */
export function classifyLines(
  lines: readonly ReturnLineEntity[],
  terms: AgreementVersionFacts | undefined,
  applicationDate: string,
  defects: readonly BatchDefectEntity[],
): Map<number, { classification: LineClassification; batchDefectId: string | null }> {
  const out = new Map<number, { classification: LineClassification; batchDefectId: string | null }>();
  if (!terms) return out;
  for (const line of lines) {
    const defect = matchBatchDefect(defects, line);
    out.set(line.lineNo, {
      classification: classifyReturnLine(
        line,
        terms.terms,
        applicationDate,
        defect ? { id: defect.id, reason: defect.reason } : null,
      ),
      batchDefectId: defect?.id ?? null,
    });
  }
  return out;
}

/** Return applications: apply (R-RET-1), read, approve with a class (R-RET-2) or reject. */
@Injectable()
export class ReturnsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly directory: DealerDirectoryService,
    private readonly batchDefects: BatchDefectsService,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  /** R-RET-1: the dealer applies first, with a detailed list; nothing is written when any field is wrong. */
  async apply(principal: Principal, dto: ApplyReturnDto): Promise<ReturnView> {
    const dealerCode = principal.dealerCode!;
    const applicationDate = this.clock.today();
    const errors: ProblemFieldError[] = [];
    const seen = new Set<string>();
    dto.lines.forEach((l, i) => {
      if (l.receiptDate > applicationDate)
        errors.push({
          field: `lines[${i}].receiptDate`,
          rule: 'R-RET-1',
          message: `receiptDate must not be after the application date ${applicationDate}`,
        });
      if (l.saleDate) {
        if (l.saleDate > applicationDate)
          errors.push({
            field: `lines[${i}].saleDate`,
            rule: 'R-RET-1',
            message: `saleDate must not be after the application date ${applicationDate}`,
          });
        if (l.saleDate < l.receiptDate)
          errors.push({
            field: `lines[${i}].saleDate`,
            rule: 'R-RET-1',
            message: "saleDate must not be before the dealer's receiptDate",
          });
      }
      if (seen.has(l.serial))
        errors.push({
          field: `lines[${i}].serial`,
          rule: 'unique',
          message: `serial ${l.serial} appears twice in this application`,
        });
      seen.add(l.serial);
    });
    if (errors.length > 0) throw validationProblem(errors);
    if (!(await this.directory.findDealer(dealerCode))) {
      throw dealerNotYetKnownProblem([
        {
          field: 'dealer',
          rule: 'knownDealer',
          message: `dealer ${dealerCode} of the token is not known to the returns service yet`,
        },
      ]);
    }
    const month = applicationDate.slice(0, 7);
    if (!(await this.directory.termsForMonth(dealerCode, month))) {
      throw new ProblemException({
        status: 422,
        type: 'no-agreement-terms',
        code: 'NO_AGREEMENT_TERMS',
        detail: `Dealer ${dealerCode} has no agreement in force for ${month}; its returns cannot be classified (R-RET-2).`,
      });
    }

    const id = randomUUID();
    await this.db.transaction(async (em) => {
      await em.insert(ReturnApplicationEntity, {
        id,
        dealerCode,
        status: 'APPLIED',
        applicationDate,
        applicationMonth: month,
        note: dto.note ?? null,
        appliedBy: principal.sub,
      });
      await em.insert(
        ReturnLineEntity,
        dto.lines.map((l, i) => ({
          returnId: id,
          lineNo: i + 1,
          serial: l.serial,
          model: l.model,
          reason: l.reason,
          quantity: l.quantity ?? 1,
          receiptDate: l.receiptDate,
          saleDate: l.saleDate ?? null,
          repairAttempted: l.repairAttempted,
          transportDamage: l.transportDamage ?? false,
        })),
      );
      await this.audit.record(em, {
        action: 'return.applied',
        entityType: 'return',
        entityId: id,
        dealerCode,
        details: { lines: dto.lines.length, serials: dto.lines.slice(0, 50).map((l) => l.serial) },
      });
    });
    return this.view(id);
  }

  async list(principal: Principal, query: ListReturnsQuery): Promise<Page<ReturnSummaryView>> {
    const limit = query.limit ?? 100;
    const after = decodePageCursor(query.cursor);
    const qb = this.db
      .getRepository(ReturnApplicationEntity)
      .createQueryBuilder('r')
      .orderBy('r.seq', 'ASC')
      .limit(limit + 1);
    const dealer = dealerScope(principal, query.dealer);
    if (dealer) qb.andWhere('r.dealerCode = :dealer', { dealer });
    if (query.status) qb.andWhere('r.status = :status', { status: query.status });
    if (query.month) qb.andWhere('r.applicationMonth = :month', { month: query.month });
    if (after !== undefined) {
      if (!/^\d{1,18}$/.test(after))
        throw validationProblem([{ field: 'cursor', rule: 'cursor', message: 'not a cursor returned by this list' }]);
      qb.andWhere('r.seq > :after', { after });
    }
    const page = toPage(await qb.getMany(), limit, (r) => String(r.seq));
    const counts = new Map<string, number>();
    if (page.items.length > 0) {
      const rows: Array<{ return_id: string; n: number }> = await this.db.query(
        `SELECT return_id, count(*)::int AS n FROM return_lines WHERE return_id = ANY($1::uuid[]) GROUP BY return_id`,
        [page.items.map((r) => r.id)],
      );
      for (const r of rows) counts.set(r.return_id, r.n);
    }
    return { items: page.items.map((r) => toSummaryView(r, counts.get(r.id) ?? 0)), nextCursor: page.nextCursor };
  }

  /** One return, 404 for another dealer's (no existence leak). */
  async get(principal: Principal, id: string): Promise<ReturnView> {
    const app = await this.find(id);
    assertDealerAccess(principal, app.dealerCode);
    return this.view(id);
  }

  /**
   * R-RET-2: after-sales approves with a class per line (or one for all lines); each must be a class
   * the line's dates and flags allow, BATCH_DEFECT only for a line in a declared batch.
   */
  async approve(principal: Principal, id: string, dto: ApproveReturnDto): Promise<ReturnView> {
    await this.db.transaction(async (em) => {
      const app = await this.lock(em, id);
      if (app.status !== 'APPLIED') throw this.wrongStatus(app, 'approved', 'APPLIED');
      const lines = await em.find(ReturnLineEntity, { where: { returnId: id }, order: { lineNo: 'ASC' } });
      const terms = await this.directory.termsForMonth(app.dealerCode, app.applicationMonth, em);
      if (!terms) {
        throw new ProblemException({
          status: 422,
          type: 'no-agreement-terms',
          code: 'NO_AGREEMENT_TERMS',
          detail: `Dealer ${app.dealerCode} has no agreement in force for ${app.applicationMonth}.`,
        });
      }
      const classified = classifyLines(
        lines,
        terms,
        app.applicationDate,
        await this.batchDefects.forModels([...new Set(lines.map((l) => l.model))], em),
      );
      const { classes, errors } = approveClasses(
        lines.map((l) => ({
          lineNo: l.lineNo,
          serial: l.serial,
          classification: classified.get(l.lineNo)!.classification,
        })),
        dto,
      );
      if (errors.some((e) => e.field.endsWith('.lineNo'))) throw validationProblem(errors);
      if (errors.length > 0) {
        throw new ProblemException({
          status: 422,
          type: 'class-not-allowed',
          code: 'CLASS_NOT_ALLOWED',
          detail: 'A class the dates do not allow was chosen (R-RET-2).',
          errors,
        });
      }
      const decided = this.clock.today();
      for (const line of lines) {
        const { classification: c, batchDefectId } = classified.get(line.lineNo)!;
        const chosen = classes.get(line.lineNo)!;
        line.returnClass = chosen;
        line.classReason = `${chosen} approved by ${principal.sub} on ${decided} (computed ${c.computedClass}): ${c.reason}`;
        line.batchDefectId = chosen === 'BATCH_DEFECT' ? batchDefectId : null;
      }
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
        { status: 'APPROVED', decidedBy: principal.sub, decidedOn: decided, updatedAt: new Date() },
      );
      await this.audit.record(em, {
        action: 'return.approved',
        entityType: 'return',
        entityId: id,
        dealerCode: app.dealerCode,
        details: {
          termsVersion: terms.version,
          classes: lines.map((l) => ({ lineNo: l.lineNo, returnClass: l.returnClass })),
        },
      });
    });
    return this.view(id);
  }

  async reject(principal: Principal, id: string, dto: RejectReturnDto): Promise<ReturnView> {
    await this.db.transaction(async (em) => {
      const app = await this.lock(em, id);
      if (app.status !== 'APPLIED') throw this.wrongStatus(app, 'rejected', 'APPLIED');
      await em.update(
        ReturnApplicationEntity,
        { id },
        {
          status: 'REJECTED',
          decidedBy: principal.sub,
          decidedOn: this.clock.today(),
          rejectionReason: dto.reason,
          updatedAt: new Date(),
        },
      );
      await this.audit.record(em, {
        action: 'return.rejected',
        entityType: 'return',
        entityId: id,
        dealerCode: app.dealerCode,
        details: { reason: dto.reason },
      });
    });
    return this.view(id);
  }

  /** The application, 404 when the id is not one (a malformed id is simply not found). */
  async find(id: string, em: EntityManager = this.db.manager): Promise<ReturnApplicationEntity> {
    const app = UUID.test(id) ? await em.findOneBy(ReturnApplicationEntity, { id }) : null;
    if (!app) throw notFoundProblem(`Return ${id} was not found.`);
    return app;
  }

  /** Locks the application row for a state change in the caller's transaction. */
  async lock(em: EntityManager, id: string): Promise<ReturnApplicationEntity> {
    if (!UUID.test(id)) throw notFoundProblem(`Return ${id} was not found.`);
    const app = await em.findOne(ReturnApplicationEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!app) throw notFoundProblem(`Return ${id} was not found.`);
    return app;
  }

  wrongStatus(app: ReturnApplicationEntity, action: string, expected: string): ProblemException {
    return new ProblemException({
      status: 409,
      type: 'return-status',
      code: 'RETURN_STATUS',
      detail: `Return ${app.id} is ${app.status}; only a ${expected} return can be ${action}.`,
    });
  }

  /** The full view: lines with their R-RET-2 classification as of the application date, receipt, parts and charges. */
  async view(id: string): Promise<ReturnView> {
    const app = await this.find(id);
    const [lines, parts, charges] = await Promise.all([
      this.db.getRepository(ReturnLineEntity).find({ where: { returnId: id }, order: { lineNo: 'ASC' } }),
      this.db.getRepository(ReturnPartEntity).find({ where: { returnId: id }, order: { seq: 'ASC' } }),
      this.db.getRepository(ReturnChargeEntity).find({ where: { returnId: id }, order: { seq: 'ASC' } }),
    ]);
    const terms = await this.directory.termsForMonth(app.dealerCode, app.applicationMonth);
    const classified = classifyLines(
      lines,
      terms,
      app.applicationDate,
      await this.batchDefects.forModels([...new Set(lines.map((l) => l.model))]),
    );
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
      lines: lines.map((l) => {
        const c = classified.get(l.lineNo);
        const classification: ClassificationView | null = c
          ? { ...c.classification, batchDefectId: c.batchDefectId }
          : null;
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
          classification,
          returnClass: l.returnClass,
          classReason: l.classReason,
          countedQuantity: l.countedQuantity,
          refusedFor: l.refusedFor,
          refusalNote: l.refusalNote,
          chargedQuantity: l.chargedQuantity,
        };
      }),
      parts: parts.map((p) => ({ lineNo: p.lineNo, partNo: p.partNo, quantity: p.quantity, listPrice: p.listPrice })),
      charges: charges.map((c) => ({
        ruleId: c.ruleId,
        kind: c.kind,
        payer: c.payer,
        returnClass: c.returnClass,
        lineNos: c.lineNos,
        amount: c.amount,
        detail: c.detail,
      })),
    };
  }
}
