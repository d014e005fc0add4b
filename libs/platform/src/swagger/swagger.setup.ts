import type { INestApplication } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ALL_ROLES } from '../auth/roles';
import type { ServiceConfig } from '../config/service-config';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from '../problem/problem-types';
import { completeContract } from './contract';
import { PROBLEM_SCHEMA_NAME } from './problem-responses';

export interface SwaggerInfo {
  title: string;
  description: string;
  version?: string;
}

export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs-json';
export const problemDetailsSchema = {
  type: 'object',
  description: `RFC 9457 problem details, served as ${PROBLEM_CONTENT_TYPE}. type = ${PROBLEM_TYPE_BASE}<slug>.`,
  required: ['type', 'title', 'status', 'instance'],
  properties: {
    type: { type: 'string', format: 'uri', description: 'Problem type; clients switch on it (or on code)' },
    title: { type: 'string', description: 'Short summary of the problem type' },
    status: { type: 'integer', minimum: 400, maximum: 599, description: 'The HTTP status' },
    detail: { type: 'string', description: 'What went wrong with this request' },
    instance: { type: 'string', description: 'The request path' },
    correlationId: { type: 'string', description: 'Correlation id of the request, also in the logs' },
    code: { type: 'string', description: 'Stable domain code of a domain error, e.g. MONTHS_PENDING' },
    errors: {
      type: 'array',
      description: 'Every invalid field of the request',
      items: {
        type: 'object',
        required: ['field', 'rule', 'message'],
        properties: {
          field: { type: 'string', description: 'Path of the field, e.g. cards[3].serial' },
          rule: { type: 'string', description: 'The rule it breaks, e.g. matches' },
          message: { type: 'string', description: 'Readable message' },
        },
      },
    },
  },
  additionalProperties: true,
} as const;

/** One scheme name in all four documents: a token authorized once in settlement's /docs applies to each. */
export const BEARER_SCHEME = 'bearer';

/** What the Authorize dialog tells a caller about the token it needs. */
export function bearerClaimsDescription(config: Pick<ServiceConfig, 'auth'>): string {
  const { jwksUrl, issuer, audience } = config.auth;
  return [
    `A JWT signed ${jwksUrl ? 'RS256 by a key of the configured JWKS' : 'HS256 with the shared secret'}, not expired (\`exp\`), with the claims:`,
    '- `sub`: who acts (recorded in the audit log and on approvals);',
    `- \`role\`: one of ${ALL_ROLES.map((r) => `\`${r}\``).join(', ')}; each operation lists the roles it admits in \`x-roles\`, and an \`auditor\` may only read (GET);`,
    '- `dealer`: the dealer code, required with role `dealer` (a dealer sees and changes only its own data);',
    `- \`iss\`: ${issuer ? `\`${issuer}\`` : 'not checked (no issuer configured)'}; \`aud\`: ${audience ? `\`${audience}\`` : 'not checked (no audience configured)'}.`,
    "The scheme has the same name in the four services' documents: authorized once in settlement's /docs, the token is sent to each of them.",
  ].join('\n');
}

/** Default operationId: the method name and the controller's resource, e.g. list + Statements → listStatements. */
export const operationIdFactory = (controllerKey: string, methodKey: string): string =>
  `${methodKey}${controllerKey.replace(/Controller$/, '')}`;

/** Builds the OpenAPI document (bearer auth, ProblemDetails schema, the contract of contract.ts) and mounts /docs, /docs-json. */
export function setupSwagger(app: INestApplication, config: ServiceConfig, info: SwaggerInfo): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(info.title)
    .setDescription(info.description)
    .setVersion(info.version ?? '1')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: bearerClaimsDescription(config) },
      BEARER_SCHEME,
    )
    .addSecurityRequirements(BEARER_SCHEME);
  const document = SwaggerModule.createDocument(app, builder.build(), { operationIdFactory });
  document.components = document.components ?? {};
  document.components.schemas = {
    ...(document.components.schemas ?? {}),
    [PROBLEM_SCHEMA_NAME]: problemDetailsSchema as never,
  };
  completeContract(document);

  allowCrossOriginSpecReads(app);
  SwaggerModule.setup(DOCS_PATH, app, document, { ui: false, raw: ['json'], jsonDocumentUrl: DOCS_JSON_PATH });
  serveSwaggerUi(app, config, info);
  return document;
}

/**
 * The settlement service's Swagger UI (another origin: port 3004) fetches the peers' /docs-json from the
 * browser, so the public, read-only spec is served with `Access-Control-Allow-Origin: *` (no credentials).
 */
function allowCrossOriginSpecReads(app: INestApplication): void {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  fastify.addHook('onSend', async (req, reply, payload) => {
    if (req.url.split('?')[0] === `/${DOCS_JSON_PATH}`) reply.header('Access-Control-Allow-Origin', '*');
    return payload;
  });
}

const UI_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'oauth2-redirect.html': 'text/html; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/**
 * Serves Swagger UI at /docs from swagger-ui-dist with plain Fastify routes (no @fastify/static, whose
 * ESM-only dependencies Jest cannot load). With docsPeers the UI shows a spec selector
 * (this service first, then each peer's /docs-json).
 */
function serveSwaggerUi(app: INestApplication, config: ServiceConfig, info: SwaggerInfo): void {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  const ownUrl = `/${DOCS_JSON_PATH}`;
  const urls =
    config.docsPeers.length > 0
      ? [{ name: config.serviceName, url: ownUrl }, ...config.docsPeers.map((p) => ({ name: p.name, url: p.url }))]
      : undefined;
  const html = swaggerUiHtml(info.title);
  const initJs = swaggerUiInitJs({
    url: ownUrl,
    ...(urls ? { urls, 'urls.primaryName': config.serviceName } : {}),
    persistAuthorization: true,
    deepLinking: true,
  });
  const assetsDir = swaggerUiAssetsDir();
  const cache = new Map<string, Buffer>();

  const sendHtml = (_req: FastifyRequest, reply: FastifyReply) => reply.type('text/html; charset=utf-8').send(html);
  fastify.get(`/${DOCS_PATH}`, sendHtml);
  fastify.get(`/${DOCS_PATH}/`, sendHtml);
  fastify.get(`/${DOCS_PATH}/swagger-ui-init.js`, (_req: FastifyRequest, reply: FastifyReply) =>
    reply.type('application/javascript; charset=utf-8').send(initJs),
  );
  fastify.get<{ Params: { file: string } }>(
    `/${DOCS_PATH}/:file`,
    async (req: FastifyRequest<{ Params: { file: string } }>, reply: FastifyReply) => {
      const file = req.params.file;
      const type = UI_ASSETS[file];
      if (!type)
        return reply
          .code(404)
          .type('application/problem+json')
          .send(
            JSON.stringify({
              type: `${PROBLEM_TYPE_BASE}not-found`,
              title: 'Not Found',
              status: 404,
              instance: req.url,
            }),
          );
      let content = cache.get(file);
      if (!content) {
        content = await readFile(join(assetsDir, file));
        cache.set(file, content);
      }
      return reply.type(type).header('Cache-Control', 'public, max-age=3600').send(content);
    },
  );
}

function swaggerUiAssetsDir(): string {
  const fromSwagger = require.resolve('swagger-ui-dist/package.json', {
    paths: [dirname(require.resolve('@nestjs/swagger'))],
  });
  return dirname(fromSwagger);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function swaggerUiHtml(title: string): string {
  const base = `/${DOCS_PATH}/`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <title>${escapeHtml(title)}</title>
  <link rel="stylesheet" type="text/css" href="${base}swagger-ui.css">
  <link rel="icon" type="image/png" href="${base}favicon-32x32.png" sizes="32x32">
  <style>html{box-sizing:border-box;overflow-y:scroll}*,*:before,*:after{box-sizing:inherit}body{margin:0;background:#fafafa}</style>
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${base}swagger-ui-bundle.js"></script>
  <script src="${base}swagger-ui-standalone-preset.js"></script>
  <script src="${base}swagger-ui-init.js"></script>
</body>
</html>
`;
}

function swaggerUiInitJs(options: Record<string, unknown>): string {
  return `window.onload = function () {
  var options = ${JSON.stringify(options).replace(/</g, '\\u003c')};
  options.dom_id = '#swagger-ui';
  options.presets = [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset];
  options.plugins = [SwaggerUIBundle.plugins.DownloadUrl];
  options.layout = 'StandaloneLayout';
  window.ui = SwaggerUIBundle(options);
};
`;
}
