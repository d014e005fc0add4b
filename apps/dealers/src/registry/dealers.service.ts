import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DealerRegistered } from '@app/contracts';
import { OutboxService } from '@app/messaging';
import { AuditLogService, decodePageCursor, Page, toPage } from '@app/platform';
import { DealerEntity } from './dealer.entity';
import { DealerView, RegisterDealerDto } from './dealer.dto';
import { DealerExistsProblem, dealerNotFoundProblem } from './dealers.problems';
import { DealersRepository } from './dealers.repository';

export function toDealerView(d: DealerEntity): DealerView {
  return { code: d.code, name: d.name, region: d.region, status: d.status, createdAt: d.createdAt.toISOString() };
}

@Injectable()
export class DealersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dealers: DealersRepository,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
  ) {}

  async register(dto: RegisterDealerDto): Promise<DealerView> {
    return this.db.transaction(async (em) => {
      const dealer = await this.dealers.insertNew(em, {
        code: dto.code,
        name: dto.name,
        region: dto.region ?? null,
        status: 'ACTIVE',
      });
      if (!dealer) throw new DealerExistsProblem(dto.code);
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
    return toDealerView(await this.requireExisting(code));
  }

  async list(limit: number, cursor?: string): Promise<Page<DealerView>> {
    const page = toPage(await this.dealers.page(limit, decodePageCursor(cursor)), limit, (d) => d.code);
    return { items: page.items.map(toDealerView), nextCursor: page.nextCursor };
  }

  /** For features of this service that need the dealer to exist (404 otherwise). */
  /** The dealer, or 404; pass the caller's EntityManager inside a transaction (no second connection). */
  async requireExisting(code: string, em?: EntityManager): Promise<DealerEntity> {
    const dealer = await this.dealers.findByCode(code, em);
    if (!dealer) throw dealerNotFoundProblem(code);
    return dealer;
  }

  /** In the caller's transaction: the dealer's row share-locked (see DealersRepository.lockShared), or 404. */
  async lockExisting(em: EntityManager, code: string): Promise<void> {
    if (!(await this.dealers.lockShared(em, code))) throw dealerNotFoundProblem(code);
  }
}
