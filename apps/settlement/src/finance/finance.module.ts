import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { BreachesController, CollectionsController, PurchasesController } from './finance-inputs.controller';
import { FinanceInputsService } from './finance-inputs.service';
import { FinanceRepository } from './finance.repository';

@Module({
  controllers: [CollectionsController, PurchasesController, BreachesController],
  providers: [FinanceInputsService, FinanceRepository],
  exports: [FinanceInputsService],
})
export class FinanceModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** Lets the finance inputs take a plain `text/csv` body (Fastify parses only JSON by default). */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasContentTypeParser('text/csv')) return;
    fastify.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  }
}
