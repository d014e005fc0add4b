import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AgreementVersionSet } from '@app/contracts';
import { OutboxService } from '@app/messaging';
import { AuditLogService, Principal, ProblemException, validationProblem } from '@app/platform';
import { MonthClosingService } from '../month-closing/month-closing.service';
import { DealersService } from '../registry/dealers.service';
import { AgreementEntity } from './agreement.entity';
import { AgreementView, CreateAgreementDto } from './agreement.dto';
import { resolveAgreementTerms } from './agreement-terms';

function toView(a: AgreementEntity): AgreementView {
  return {
    dealerCode: a.dealerCode,
    version: a.version,
    effectiveFrom: a.effectiveFrom,
    terms: { ...a.terms },
    createdBy: a.createdBy,
    createdAt: a.createdAt.toISOString(),
  };
}

@Injectable()
export class AgreementsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dealers: DealersService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
    private readonly monthClosing: MonthClosingService,
  ) {}

  /** R-AGR-1: a new version of the terms from a month's first day on. */
  async create(dealerCode: string, dto: CreateAgreementDto, actor: Principal): Promise<AgreementView> {
    const { effectiveFrom, ...input } = dto;
    const { terms, violations } = resolveAgreementTerms(input);
    if (violations.length) throw validationProblem(violations);
    await this.dealers.requireExisting(dealerCode);
    return this.db.transaction(async (em) => {
      // Serialise versions of one dealer so version numbers stay gapless under concurrency.
      await em.query('SELECT code FROM dealers WHERE code = $1 FOR UPDATE', [dealerCode]);
      // R-AGR-1: a later version never rewrites a month already closed (its quarter approved).
      const lastClosed = await this.monthClosing.latestClosedMonth(dealerCode, em);
      if (lastClosed !== null && effectiveFrom.slice(0, 7) <= lastClosed) {
        throw new ProblemException({
          status: 409,
          type: 'agreement-month-closed',
          code: 'AGREEMENT_MONTH_CLOSED',
          detail: `Terms effective from ${effectiveFrom} would rewrite ${lastClosed}, which is closed; the earliest possible start is the month after it.`,
        });
      }
      const existing = await em.findOneBy(AgreementEntity, { dealerCode, effectiveFrom });
      if (existing) {
        throw new ProblemException({
          status: 409,
          type: 'agreement-version-exists',
          code: 'AGREEMENT_VERSION_EXISTS',
          detail: `Dealer ${dealerCode} already has terms effective from ${effectiveFrom} (version ${existing.version}).`,
        });
      }
      const [{ next }] = await em.query(
        'SELECT COALESCE(MAX(version), 0) + 1 AS next FROM agreements WHERE dealer_code = $1',
        [dealerCode],
      );
      const saved = await em.save(
        AgreementEntity,
        em.create(AgreementEntity, { dealerCode, version: Number(next), effectiveFrom, terms, createdBy: actor.sub }),
      );
      await this.outbox.enqueue(em, [
        {
          definition: AgreementVersionSet,
          dealerCode,
          payload: { dealerCode, version: saved.version, effectiveFrom, terms },
        },
      ]);
      await this.audit.record(em, {
        action: 'agreement.version-set',
        entityType: 'agreement',
        entityId: `${dealerCode}/v${saved.version}`,
        dealerCode,
        details: { effectiveFrom, terms },
      });
      return toView(await em.findOneByOrFail(AgreementEntity, { id: saved.id }));
    });
  }

  async list(dealerCode: string): Promise<AgreementView[]> {
    await this.dealers.requireExisting(dealerCode);
    const rows = await this.db
      .getRepository(AgreementEntity)
      .find({ where: { dealerCode }, order: { effectiveFrom: 'ASC' } });
    return rows.map(toView);
  }
}
