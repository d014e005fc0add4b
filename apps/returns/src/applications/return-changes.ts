import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ReturnStatus } from '../receipt/receipt-rules';
import { ReturnView } from './return.dto';
import { ReturnApplicationEntity } from './return.entity';
import { ReturnViews } from './return-views';
import { ReturnsRepository } from './returns.repository';

/**
 * The frame of a change of a return (approval, rejection, receipt): in one transaction,
 * lock the application (404 when there is none; with `allowed`, 409 in another status) and apply the
 * change; then answer with the return as it now stands.
 */
@Injectable()
export class ReturnChanges {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly returns: ReturnsRepository,
    private readonly views: ReturnViews,
  ) {}

  async apply(
    id: string,
    allowed: { status: ReturnStatus; action: string } | undefined,
    change: (em: EntityManager, app: ReturnApplicationEntity) => Promise<void>,
  ): Promise<ReturnView> {
    await this.db.transaction(async (em) => change(em, await this.returns.lock(em, id, allowed)));
    return this.views.view(id);
  }
}
