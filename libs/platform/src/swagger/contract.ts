import type { OpenAPIObject } from '@nestjs/swagger';
import { PLACEHOLDER_INSTANCE, problemResponse, SHARED_PROBLEM_RESPONSES } from './problem-responses';

/**
 * Finishes a service's OpenAPI document so it reads as a contract: who may call each operation,
 * the problems every protected operation can answer, declared tags and servers, and optional
 * filters whose example is shown in the text rather than pre-filled into Swagger UI's Try it out.
 */

/** Tag name → description, registered by `DocumentedTag` beside each controller. */
const TAG_DESCRIPTIONS = new Map<string, string>();

export function registerTagDescription(name: string, description: string): void {
  TAG_DESCRIPTIONS.set(name, description);
}

type Operation = {
  operationId?: string;
  description?: string;
  tags?: string[];
  parameters?: Array<Record<string, unknown>>;
  responses: Record<string, unknown>;
  security?: unknown[];
  'x-roles'?: string[];
  'x-rules'?: string[];
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

function operationsOf(document: OpenAPIObject): Array<[string, string, Operation]> {
  const ops: Array<[string, string, Operation]> = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, unknown>)[method];
      if (op) ops.push([path, method, op as Operation]);
    }
  }
  return ops;
}

function whoMayCall(roles: string[] | undefined): string {
  if (!roles) return '**Who may call:** anyone (no token needed).';
  const list = roles.map((r) => `\`${r}\``).join(', ');
  const own = roles.includes('dealer') ? ' A `dealer` token reaches only its own dealer code.' : '';
  return `**Who may call:** roles ${list}.${own}`;
}

function describe(op: Operation): void {
  const parts = [op.description?.trim(), whoMayCall(op['x-roles'])];
  if (op['x-rules']?.length) parts.push(`**Rules applied:** ${op['x-rules'].join(', ')} (DOMAIN.md).`);
  op.description = parts.filter(Boolean).join('\n\n');
}

/** Swagger UI pre-fills a parameter's example; an optional filter shows it in its description instead. */
function unprefillOptionalExamples(op: Operation): void {
  for (const p of op.parameters ?? []) {
    if (p.required === true) continue;
    const schema = (p.schema ?? {}) as Record<string, unknown>;
    const example = p.example ?? schema.example;
    delete p.example;
    delete schema.example;
    if (example === undefined) continue;
    const text = typeof p.description === 'string' ? p.description.replace(/\.?\s*$/, '. ') : '';
    p.description = `${text}Example: \`${String(example)}\` (leave empty for no filter).`;
  }
}

/** A problem example's `instance` is the request path: the operation's own path, not a placeholder. */
function instanceIsThePath(op: Operation, path: string): void {
  for (const res of Object.values(op.responses) as Array<{ content?: Record<string, { examples?: object }> }>) {
    for (const media of Object.values(res.content ?? {})) {
      for (const ex of Object.values(media.examples ?? {}) as Array<{ value?: { instance?: string } }>) {
        if (ex.value?.instance === PLACEHOLDER_INSTANCE) ex.value.instance = path;
      }
    }
  }
}

function addSharedProblems(op: Operation): void {
  if (!op['x-roles']) return;
  const shared: Array<[string, string]> = [
    ['401', 'Unauthorized'],
    ['403', 'Forbidden'],
    ['500', 'InternalError'],
    ['503', 'DatabaseUnavailable'],
  ];
  for (const [status, name] of shared) op.responses[status] ??= { $ref: `#/components/responses/${name}` };
}

export function completeContract(document: OpenAPIObject): OpenAPIObject {
  const ids = new Set<string>();
  const tags = new Set<string>();
  for (const [path, method, op] of operationsOf(document)) {
    if (!op.operationId || ids.has(op.operationId))
      throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} needs a unique operationId (${op.operationId})`);
    ids.add(op.operationId);
    for (const t of op.tags ?? []) tags.add(t);
    describe(op);
    unprefillOptionalExamples(op);
    instanceIsThePath(op, path);
    addSharedProblems(op);
  }
  document.tags = [...tags].sort().map((name) => ({ name, description: TAG_DESCRIPTIONS.get(name) ?? name }));
  document.servers = [{ url: '/', description: 'This service (the origin this document was read from)' }];
  document.info.license = { name: 'Proprietary', url: 'https://after-sales.example/license' };
  document.components ??= {};
  document.components.responses = Object.fromEntries(
    Object.entries(SHARED_PROBLEM_RESPONSES).map(([name, doc]) => [name, problemResponse([doc])]),
  ) as never;
  return document;
}
