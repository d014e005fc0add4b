import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DealerRegistered } from '@app/contracts';
import { OutboxService } from '@app/messaging';
import { AuditLogService, decodePageCursor, notFoundProblem, Page, ProblemException, toPage } from '@app/platform';
import { DealerEntity } from './dealer.entity';
import { DealerView, RegisterDealerDto } from './dealer.dto';

export function toDealerView(d: DealerEntity): DealerView {
  return { code: d.code, name: d.name, region: d.region, status: d.status, createdAt: d.createdAt.toISOString() };
}

@Injectable()
export class DealersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
  ) {}

  async register(dto: RegisterDealerDto): Promise<DealerView> {
    return this.db.transaction(async (em) => {
      const inserted = await em
        .createQueryBuilder()
        .insert()
        .into(DealerEntity)
        .values({ code: dto.code, name: dto.name, region: dto.region ?? null, status: 'ACTIVE' })
        .orIgnore()
        .returning('*')
        .execute();
      if (inserted.raw.length === 0) {
        throw new ProblemException({
          status: 409,
          type: 'dealer-exists',
          code: 'DEALER_EXISTS',
          detail: `Dealer ${dto.code} already exists.`,
        });
      }
      const dealer = await em.findOneByOrFail(DealerEntity, { code: dto.code });
      await this.outbox.enqueue(em, [
        {
          definition: DealerRegistered,
          dealerCode: dealer.code,
          payload: { code: dealer.code, name: dealer.name, region: dealer.region, status: dealer.status },
        },
      ]);
      await this.audit.record(em, {
        action: 'dealer.registered',
        entityType: 'dealer',
        entityId: dealer.code,
        dealerCode: dealer.code,
        details: { name: dealer.name, region: dealer.region },
      });
      return toDealerView(dealer);
    });
  }

  async get(code: string): Promise<DealerView> {
    const dealer = await this.db.getRepository(DealerEntity).findOneBy({ code });
    if (!dealer) throw notFoundProblem(`Dealer ${code} was not found.`);
    return toDealerView(dealer);
  }

  async list(limit: number, cursor?: string): Promise<Page<DealerView>> {
    const after = decodePageCursor(cursor);
    const qb = this.db
      .getRepository(DealerEntity)
      .createQueryBuilder('d')
      .orderBy('d.code', 'ASC')
      .limit(limit + 1);
    if (after !== undefined) qb.where('d.code > :after', { after });
    const page = toPage(await qb.getMany(), limit, (d) => d.code);
    return { items: page.items.map(toDealerView), nextCursor: page.nextCursor };
  }

  /** For features of this service that need the dealer to exist (404 otherwise). */
  async requireExisting(code: string): Promise<DealerEntity> {
    const dealer = await this.db.getRepository(DealerEntity).findOneBy({ code });
    if (!dealer) throw notFoundProblem(`Dealer ${code} was not found.`);
    return dealer;
  }
}
