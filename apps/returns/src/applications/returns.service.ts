import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DealerDirectoryService, NoAgreementTermsProblem } from '@app/dealer-directory';
import {
  AuditLogService,
  Clock,
  dealerNotYetKnownProblem,
  fieldError,
  Principal,
  problemText,
  validationProblem,
} from '@app/platform';
import { BatchDefectsRepository } from '../batch-defects/batch-defects.repository';
import { approveClasses } from '../classification/approve-classes';
import { classifyLines } from '../classification/classify-lines';
import { checkAppliedLines, documentDate } from './application-rules';
import { ApplyReturnDto, ApproveReturnDto, RejectReturnDto, ReturnView } from './return.dto';
import { ReturnApplicationEntity } from './return.entity';
import { ReturnChanges } from './return-changes';
import { ReturnViews } from './return-views';
import { LineClass, ReturnsRepository } from './returns.repository';
import { ClassNotAllowedProblem } from './returns.problems';

/** Return applications: apply (R-RET-1), approve with a class (R-RET-2) or reject. */
@Injectable()
export class ReturnsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly returns: ReturnsRepository,
    private readonly views: ReturnViews,
    private readonly changes: ReturnChanges,
    private readonly directory: DealerDirectoryService,
    private readonly batchDefects: BatchDefectsRepository,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
  ) {}

  /**
   * R-RET-1: the dealer applies first, with a detailed list; nothing is written when any field is wrong.
   * R-SET-10: dated by the application date on the form, today when not given.
   */
  async apply(principal: Principal, dto: ApplyReturnDto): Promise<ReturnView> {
    const dealerCode = principal.dealerCode!;
    const applicationDate = documentDate(
      { field: 'applicationDate', step: 'application', given: dto.applicationDate },
      this.clock.today(),
    );
    const errors = checkAppliedLines(dto.lines, applicationDate);
    if (errors.length > 0) throw validationProblem(errors);
    const month = applicationDate.slice(0, 7);
    await this.checkDealerMayApply(dealerCode, month);
    const id = randomUUID();
    await this.db.transaction(async (em) => {
      await this.returns.insert(
        em,
        { id, dealerCode, applicationDate, applicationMonth: month, note: dto.note ?? null, appliedBy: principal.sub },
        dto.lines.map((l, i) => ({
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
    return this.views.view(id);
  }

  /** The dealer must be known here and have terms for the month, or its lines cannot be classified (R-RET-2). */
  private async checkDealerMayApply(dealerCode: string, month: string): Promise<void> {
    if (!(await this.directory.findDealer(dealerCode))) {
      throw dealerNotYetKnownProblem([
        fieldError('dealer', 'knownDealer', 'validation.fields.tokenDealerNotKnownToReturns', { code: dealerCode }),
      ]);
    }
    if (!(await this.directory.termsForMonth(dealerCode, month))) {
      throw new NoAgreementTermsProblem(problemText('noAgreementTerms.classify', { dealerCode, month }));
    }
  }

  /**
   * R-RET-2: after-sales approves with a class per line (or one for all lines); each must be a class
   * the line's dates and flags allow, BATCH_DEFECT only for a line in a declared batch.
   */
  approve(principal: Principal, id: string, dto: ApproveReturnDto): Promise<ReturnView> {
    return this.changes.apply(id, { status: 'APPLIED', action: 'approved' }, async (em, app) => {
      const decidedOn = this.clock.today();
      const { lines, termsVersion } = await this.decideClasses(em, app, dto, principal.sub, decidedOn);
      await this.returns.markApproved(em, id, lines, { decidedBy: principal.sub, decidedOn, at: this.clock.now() });
      await this.audit.record(em, {
        action: 'return.approved',
        entityType: 'return',
        entityId: id,
        dealerCode: app.dealerCode,
        details: { termsVersion, classes: lines.map((l) => ({ lineNo: l.lineNo, returnClass: l.returnClass })) },
      });
    });
  }

  /** Each line's class as approved, with the reason it records and the batch it was approved for. */
  private async decideClasses(
    em: EntityManager,
    app: ReturnApplicationEntity,
    dto: ApproveReturnDto,
    approver: string,
    decidedOn: string,
  ): Promise<{ lines: LineClass[]; termsVersion: number }> {
    const lines = await this.returns.linesOf(app.id, em);
    const terms = await this.directory.termsForMonth(app.dealerCode, app.applicationMonth, em);
    if (!terms) {
      throw new NoAgreementTermsProblem(
        problemText('noAgreementTerms.inForce', { dealerCode: app.dealerCode, month: app.applicationMonth }),
      );
    }
    const defects = await this.batchDefects.forModels([...new Set(lines.map((l) => l.model))], em);
    const classified = classifyLines(lines, terms, app.applicationDate, defects);
    const { classes, errors } = approveClasses(
      lines.map((l) => ({
        lineNo: l.lineNo,
        serial: l.serial,
        classification: classified.get(l.lineNo)!.classification,
      })),
      dto,
    );
    if (errors.some((e) => e.field.endsWith('.lineNo'))) throw validationProblem(errors);
    if (errors.length > 0) throw new ClassNotAllowedProblem(errors);
    const decided = lines.map((line) => {
      const { classification: c, batchDefectId } = classified.get(line.lineNo)!;
      const chosen = classes.get(line.lineNo)!;
      return {
        lineNo: line.lineNo,
        returnClass: chosen,
        classReason: `${chosen} approved by ${approver} on ${decidedOn} (computed ${c.computedClass}): ${c.reason}`,
        batchDefectId: chosen === 'BATCH_DEFECT' ? batchDefectId : null,
      };
    });
    return { lines: decided, termsVersion: terms.version };
  }

  reject(principal: Principal, id: string, dto: RejectReturnDto): Promise<ReturnView> {
    return this.changes.apply(id, { status: 'APPLIED', action: 'rejected' }, async (em, app) => {
      await this.returns.markRejected(em, id, {
        decidedBy: principal.sub,
        decidedOn: this.clock.today(),
        reason: dto.reason,
        at: this.clock.now(),
      });
      await this.audit.record(em, {
        action: 'return.rejected',
        entityType: 'return',
        entityId: id,
        dealerCode: app.dealerCode,
        details: { reason: dto.reason },
      });
    });
  }
}
