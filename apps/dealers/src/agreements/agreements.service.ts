import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AgreementVersionSet } from '@app/contracts';
import { OutboxService } from '@app/messaging';
import { AuditLogService, Principal, validationProblem } from '@app/platform';
import { MonthClosingService } from '../month-closing/month-closing.service';
import { DealersRepository } from '../registry/dealers.repository';
import { DealersService } from '../registry/dealers.service';
import { AgreementEntity } from './agreement.entity';
import { AgreementView, CreateAgreementDto } from './agreement.dto';
import { resolveAgreementTerms } from './agreement-terms';
import { AgreementMonthClosedProblem, AgreementVersionExistsProblem } from './agreements.problems';
import { AgreementsRepository } from './agreements.repository';

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
    private readonly agreements: AgreementsRepository,
    private readonly dealers: DealersService,
    private readonly dealerRows: DealersRepository,
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
      await this.dealerRows.lockExclusive(em, dealerCode);
      // R-AGR-1: a later version never rewrites a month already closed (its quarter approved).
      const lastClosed = await this.monthClosing.latestClosedMonth(dealerCode, em);
      if (lastClosed !== null && effectiveFrom.slice(0, 7) <= lastClosed)
        throw new AgreementMonthClosedProblem(effectiveFrom, lastClosed);
      const existing = await this.agreements.findVersionFrom(em, dealerCode, effectiveFrom);
      if (existing) throw new AgreementVersionExistsProblem(dealerCode, effectiveFrom, existing.version);
      const saved = await this.agreements.insertNextVersion(em, {
        dealerCode,
        effectiveFrom,
        terms,
        createdBy: actor.sub,
      });
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
      return toView(saved);
    });
  }

  async list(dealerCode: string): Promise<AgreementView[]> {
    await this.dealers.requireExisting(dealerCode);
    return (await this.agreements.listOf(dealerCode)).map(toView);
  }
}
