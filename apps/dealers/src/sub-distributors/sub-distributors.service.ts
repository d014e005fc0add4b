import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLogService, Principal, ProblemException } from '@app/platform';
import { DealersService } from '../registry/dealers.service';
import { RegisterSubDistributorDto, SubDistributorView } from './sub-distributor.dto';
import { SubDistributorEntity } from './sub-distributor.entity';

function toView(s: SubDistributorEntity): SubDistributorView {
  return {
    code: s.code,
    dealerCode: s.dealerCode,
    name: s.name,
    region: s.region,
    createdAt: s.createdAt.toISOString(),
  };
}

@Injectable()
export class SubDistributorsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dealers: DealersService,
    private readonly audit: AuditLogService,
  ) {}

  async register(dealerCode: string, dto: RegisterSubDistributorDto, actor: Principal): Promise<SubDistributorView> {
    await this.dealers.requireExisting(dealerCode);
    return this.db.transaction(async (em) => {
      // An outlet code names one party: it may not be a dealer's code either.
      const clash: unknown[] = await em.query('SELECT 1 FROM dealers WHERE code = $1', [dto.code]);
      const inserted: SubDistributorEntity[] =
        clash.length > 0
          ? []
          : await em.query(
              `INSERT INTO sub_distributors (code, dealer_code, name, region, created_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (code) DO NOTHING RETURNING code`,
              [dto.code, dealerCode, dto.name, dto.region ?? null, actor.sub],
            );
      if (inserted.length === 0) {
        throw new ProblemException({
          status: 409,
          type: 'outlet-code-taken',
          code: 'OUTLET_CODE_TAKEN',
          detail: `Outlet code ${dto.code} is already a dealer or a sub-distributor.`,
        });
      }
      const saved = await em.findOneByOrFail(SubDistributorEntity, { code: dto.code });
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
    const rows = await this.db
      .getRepository(SubDistributorEntity)
      .find({ where: { dealerCode }, order: { code: 'ASC' } });
    return rows.map(toView);
  }

  /** The outlets a dealer's cards may name: the dealer itself and its sub-distributors (R-CARD-1 UNKNOWN_OUTLET). */
  async outletsOf(dealerCode: string, em?: EntityManager): Promise<Set<string>> {
    const rows: Array<{ code: string }> = await (em ?? this.db.manager).query(
      'SELECT code FROM sub_distributors WHERE dealer_code = $1',
      [dealerCode],
    );
    return new Set([dealerCode, ...rows.map((r) => r.code)]);
  }
}
