import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { PriceListController } from './price-list.controller';
import { PriceListRepository } from './price-list.repository';
import { PriceListService } from './price-list.service';

@Module({
  controllers: [PriceListController],
  providers: [PriceListRepository, PriceListService],
  exports: [PriceListService],
})
export class PriceListModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** Lets `POST /v1/parts/import` take a plain `text/csv` body (Fastify parses only JSON by default). */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasContentTypeParser('text/csv')) return;
    fastify.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  }
}
