import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import type { ServiceConfig } from '../config/service-config';
import { registerContentLanguage } from '../i18n/i18n.module';
import { setupSwagger, SwaggerInfo } from '../swagger/swagger.setup';
import { enableCors } from './cors';
import {
  declaredQueryParameters,
  httpEdgeOptions,
  refuseUndeclaredQueryParameters,
  registerHttpEdgeChecks,
} from './http-edge';

/** Largest accepted request body (JSON or multipart as a whole). */
export const BODY_LIMIT_BYTES = 20 * 1024 * 1024;
/** Largest accepted single uploaded file (multipart); larger → 413 problem. */
export const MULTIPART_FILE_SIZE_LIMIT = 10 * 1024 * 1024;
export const MULTIPART_MAX_FILES = 5;

export function createFastifyAdapter(): FastifyAdapter {
  // The adapter brings its own copy of fastify, whose option types differ only in plugin augmentations.
  const options = { bodyLimit: BODY_LIMIT_BYTES, trustProxy: true, genReqId: () => randomUUID(), ...httpEdgeOptions() };
  return new FastifyAdapter(options as { bodyLimit: number });
}

/**
 * Applies the platform's HTTP setup to an already created Fastify app (pino logger, CORS for the
 * allowed origins, the edge checks of http-edge.ts, multipart, shutdown hooks, Swagger at /docs + /docs-json). Use it when
 * you build the app yourself (e.g. from a TestingModule with createFastifyAdapter()).
 */
export async function configureServiceApp(
  app: NestFastifyApplication,
  config: ServiceConfig,
  swagger: SwaggerInfo,
): Promise<NestFastifyApplication> {
  app.useLogger(app.get(Logger));
  app.flushLogs(); // listen() would flush too, but tests only call init()
  enableCors(app, config);
  registerHttpEdgeChecks(app.getHttpAdapter().getInstance() as unknown as FastifyInstance);
  registerContentLanguage(app.getHttpAdapter().getInstance() as unknown as FastifyInstance);
  await app.register(
    multipart as never,
    {
      limits: { fileSize: MULTIPART_FILE_SIZE_LIMIT, files: MULTIPART_MAX_FILES },
    } as never,
  );
  app.enableShutdownHooks();
  const document = setupSwagger(app, config, swagger);
  refuseUndeclaredQueryParameters(
    app.getHttpAdapter().getInstance() as unknown as FastifyInstance,
    declaredQueryParameters(document),
  );
  return app;
}

/**
 * Creates a service app: Fastify (20 MiB body limit, trustProxy), buffered pino logs, multipart,
 * shutdown hooks and Swagger. The root module must import PlatformModule.forRoot({ config, … }).
 * The caller then does `await app.listen({ port: config.port, host: '0.0.0.0' })`.
 */
export async function createServiceApp(
  rootModule: DynamicModule | Type,
  config: ServiceConfig,
  swagger: SwaggerInfo,
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, createFastifyAdapter(), {
    bufferLogs: true,
    // Throw start-up errors to the caller (main.ts exits non-zero; tests see the cause).
    abortOnError: false,
  });
  return configureServiceApp(app, config, swagger);
}
