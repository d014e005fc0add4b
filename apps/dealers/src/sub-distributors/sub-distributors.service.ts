import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLogService, Principal } from '@app/platform';
import { DealersRepository } from '../registry/dealers.repository';
import { DealersService } from '../registry/dealers.service';
import { RegisterSubDistributorDto, SubDistributorView } from './sub-distributor.dto';
import { SubDistributorEntity } from './sub-distributor.entity';
import { OutletCodeTakenProblem } from './sub-distributors.problems';
import { SubDistributorsRepository } from './sub-distributors.repository';

function toView(s: SubDistributorEntity): SubDistributorView {
  const { code, dealerCode, name, region } = s;
  return { code, dealerCode, name, region, createdAt: s.createdAt.toISOString() };
}

@Injectable()
export class SubDistributorsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly subDistributors: SubDistributorsRepository,
    private readonly dealers: DealersService,
    private readonly dealerRows: DealersRepository,
    private readonly audit: AuditLogService,
  ) {}

  async register(dealerCode: string, dto: RegisterSubDistributorDto, actor: Principal): Promise<SubDistributorView> {
    await this.dealers.requireExisting(dealerCode);
    return this.db.transaction(async (em) => {
      // An outlet code names one party: it may not be a dealer's code either.
      const saved = (await this.dealerRows.exists(dto.code, em))
        ? null
        : await this.subDistributors.insertNew(em, {
            code: dto.code,
            dealerCode,
            name: dto.name,
            region: dto.region ?? null,
            createdBy: actor.sub,
          });
      if (!saved) throw new OutletCodeTakenProblem(dto.code);
      await this.audit.record(em, {
        action: 'sub-distributor.registered',
        entityType: 'sub-distributor',
        entityId: saved.code,
        dealerCode,
        details: { name: saved.name, region: saved.region },
      });
      return toView(saved);
    });
  }

  async list(dealerCode: string): Promise<SubDistributorView[]> {
    await this.dealers.requireExisting(dealerCode);
    return (await this.subDistributors.listOf(dealerCode)).map(toView);
  }

  /** The outlets a dealer's cards may name: the dealer itself and its sub-distributors (R-CARD-1 UNKNOWN_OUTLET). */
  async outletsOf(dealerCode: string, em?: EntityManager): Promise<Set<string>> {
    return new Set([dealerCode, ...(await this.subDistributors.codesOf(dealerCode, em))]);
  }
}
