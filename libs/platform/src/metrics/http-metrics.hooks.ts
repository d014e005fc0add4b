import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MetricsRegistry } from './metrics.registry';

const START = Symbol('platform:metricsStart');
type Timed = FastifyRequest & { [START]?: bigint };

/**
 * Records http_requests_total / http_request_duration_seconds for every request (including ones
 * refused by guards, 404s and body-parser errors) with fastify onRequest/onResponse hooks.
 * Route label = matched route template (e.g. /v1/dealers/:code), or 'unmatched'.
 */
@Injectable()
export class HttpMetricsHooks implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter || adapter.getType() !== 'fastify') return;
    const fastify = adapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (req: Timed, _reply: FastifyReply, done: () => void) => {
      req[START] = process.hrtime.bigint();
      done();
    });
    fastify.addHook('onResponse', (req: Timed, reply: FastifyReply, done: () => void) => {
      const started = req[START];
      const seconds = started === undefined ? 0 : Number(process.hrtime.bigint() - started) / 1e9;
      const route = req.routeOptions?.url ?? 'unmatched';
      this.metrics.observeHttp(req.method, route, reply.statusCode, seconds);
      done();
    });
  }
}
