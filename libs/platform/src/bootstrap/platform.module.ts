import { DynamicModule, Module, Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditLogEntry } from '../audit/audit-log-entry.entity';
import { AuditLogController } from '../audit/audit-log.controller';
import { AuditChainController } from '../audit/audit-chain.controller';
import { PlatformAuditChain1767900000000 } from '../audit/audit-chain.migration';
import { AuditChainRepository } from '../audit/audit-chain.repository';
import { AuditChainService } from '../audit/audit-chain.service';
import { PlatformAuditLog1735689600000 } from '../audit/audit-log.migration';
import { AuditLogService } from '../audit/audit-log.service';
import { AuthGuard } from '../auth/auth.guard';
import { TokenVerifier } from '../auth/token-verifier';
import { SERVICE_CONFIG, ServiceConfig } from '../config/service-config';
import { createContextModule } from '../context/context.module';
import { RequestContext } from '../context/request-context.service';
import { HealthController } from '../health/health.controller';
import { createI18nModule } from '../i18n/i18n.module';
import { HEALTH_INDICATOR_TYPES, ServiceHealthIndicator } from '../health/service-health-indicator';
import { IdempotencyRecord } from '../idempotency/idempotency-record.entity';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { PlatformIdempotency1735689600001 } from '../idempotency/idempotency.migration';
import { PlatformIdempotencyScope1735689600002 } from '../idempotency/idempotency-scope.migration';
import { IdempotencySweeper } from '../idempotency/idempotency-sweeper';
import { createLoggingModule } from '../logging/logging.module';
import { HttpMetricsHooks } from '../metrics/http-metrics.hooks';
import { MetricsController } from '../metrics/metrics.controller';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { ProblemDetailsFilter } from '../problem/problem-details.filter';
import { createValidationPipe } from '../problem/validation';
import { RequestTransactionDataSource } from '../persistence/request-transaction-data-source';
import { ShanghaiTimestampsInterceptor } from '../time/shanghai-timestamps';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type ClassRef = Function;

export interface PlatformModuleOptions {
  config: ServiceConfig;
  /** The app's TypeORM entities (platform entities are added automatically). */
  entities: ClassRef[];
  /** The app's migration classes (platform migrations run first). */
  migrations: ClassRef[];
  /** Extra /health indicators, resolved with ModuleRef (strict: false) from the app's providers. */
  healthIndicators?: Type<ServiceHealthIndicator>[];
}

export const PLATFORM_ENTITIES: ClassRef[] = [AuditLogEntry, IdempotencyRecord];
export const PLATFORM_MIGRATIONS: ClassRef[] = [
  PlatformAuditLog1735689600000,
  PlatformIdempotency1735689600001,
  PlatformIdempotencyScope1735689600002,
  PlatformAuditChain1767900000000,
];

/**
 * Shared service infrastructure: config, request context, logging, database, auth guard, problem
 * filter, validation pipe, idempotency, audit log, metrics and health. Import once in each app's root module.
 */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    const { config } = options;
    return {
      module: PlatformModule,
      global: true,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          cache: true,
          load: [() => ({ ...config })],
        }),
        createContextModule(),
        createI18nModule(),
        createLoggingModule(config),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            type: 'postgres' as const,
            url: config.databaseUrl,
            entities: [...PLATFORM_ENTITIES, ...options.entities],
            migrations: [...PLATFORM_MIGRATIONS, ...options.migrations],
            migrationsRun: true,
            migrationsTransactionMode: 'each' as const,
            synchronize: false,
            applicationName: config.serviceName,
            // A full pool or an unreachable server fails the request after connectTimeoutMs
            // (answered 503) instead of queueing it without end.
            poolSize: config.databasePool.size,
            connectTimeoutMS: config.databasePool.connectTimeoutMs,
            extra: { statement_timeout: config.databasePool.statementTimeoutMs, keepAlive: true },
            retryAttempts: 3,
            retryDelay: 1000,
          }),
          // Lets the database work of a request join the request's transaction (RequestTransaction),
          // which IdempotencyInterceptor opens for a POST with an Idempotency-Key.
          dataSourceFactory: async (dataSourceOptions) => new RequestTransactionDataSource(dataSourceOptions!),
        }),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
      ],
      controllers: [HealthController, MetricsController, AuditLogController, AuditChainController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: HEALTH_INDICATOR_TYPES, useValue: options.healthIndicators ?? [] },
        { provide: MetricsRegistry, useFactory: () => new MetricsRegistry(config.serviceName) },
        RequestContext,
        TokenVerifier,
        AuditChainRepository,
        AuditChainService,
        AuditLogService,
        HttpMetricsHooks,
        IdempotencySweeper,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: () => createValidationPipe() },
        // Before the idempotency interceptor, so a replayed answer is written in Shanghai time too.
        { provide: APP_INTERCEPTOR, useClass: ShanghaiTimestampsInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
      exports: [SERVICE_CONFIG, MetricsRegistry, RequestContext, TokenVerifier, AuditLogService, AuditChainRepository],
    };
  }
}
