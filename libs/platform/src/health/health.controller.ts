import { Controller, Get, Inject, Res, ServiceUnavailableException, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { HEALTH_INDICATOR_TYPES, ServiceHealthIndicator } from './service-health-indicator';

@Controller('health')
export class HealthController {
  private indicators?: ServiceHealthIndicator[];

  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicatorService: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
    @Inject(HEALTH_INDICATOR_TYPES) private readonly indicatorTypes: Type<ServiceHealthIndicator>[],
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiExcludeEndpoint()
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    const checks: HealthIndicatorFunction[] = [() => this.db.pingCheck('database', { timeout: 3000 })];
    for (const indicator of await this.resolveIndicators()) {
      checks.push(async () => {
        const session = this.indicatorService.check(indicator.name);
        try {
          const result = await indicator.check();
          return result.up ? session.up(result.details ?? {}) : session.down(result.details ?? {});
        } catch (err) {
          return session.down({ message: err instanceof Error ? err.message : String(err) });
        }
      });
    }
    try {
      return await this.health.check(checks);
    } catch (err) {
      // Keep terminus' body on 503 instead of letting the problem filter rewrite it.
      if (err instanceof ServiceUnavailableException) {
        reply.status(503);
        return err.getResponse();
      }
      throw err;
    }
  }

  private async resolveIndicators(): Promise<ServiceHealthIndicator[]> {
    if (!this.indicators) {
      const resolved: ServiceHealthIndicator[] = [];
      for (const type of this.indicatorTypes) {
        let instance: ServiceHealthIndicator | undefined;
        try {
          instance = this.moduleRef.get(type, { strict: false });
        } catch {
          instance = await this.moduleRef.create(type);
        }
        if (instance) resolved.push(instance);
      }
      this.indicators = resolved;
    }
    return this.indicators;
  }
}
