import { applyDecorators, Body, Controller, Get, Post, Query, Req, Res, Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiDoc,
  ApiPageResponse,
  ApiProblems,
  ApiTag,
  CurrentPrincipal,
  dealerScope,
  Page,
  Principal,
  ProblemDoc,
  Roles,
  validationProblem,
} from '@app/platform';
import { readFinanceCsv } from './finance-csv';
import { FINANCE_INPUTS, FinanceInputKind } from './finance-input-rules';
import { BreachDto, CollectionDto, FinanceInputListQuery, PurchaseDto } from './finance-inputs.dto';
import { FinanceInputsService, FinanceInputView, ImportResult } from './finance-inputs.service';
import { BreachView, CollectionView, importResultOf, PurchaseView } from './finance-inputs.view';

/**
 * One object → one input (201 new, 200 same reference and content, 409 other content).
 * A JSON array, `{ "rows": [...] }` or a `text/csv` body → a bulk import through the same route:
 * all rows validated first, nothing written when any is bad, every bad row listed (`rows[n].field`).
 */
async function post(
  svc: FinanceInputsService,
  kind: FinanceInputKind,
  req: FastifyRequest,
  body: unknown,
  principal: Principal,
  reply: FastifyReply,
): Promise<FinanceInputView | ImportResult> {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  let rows: unknown[] | undefined;
  if (type.startsWith('text/csv')) {
    const csv = readFinanceCsv(typeof body === 'string' ? body : '', FINANCE_INPUTS[kind].columns);
    if (csv.errors.length) throw validationProblem(csv.errors);
    rows = csv.rows;
  } else if (Array.isArray(body)) rows = body;
  else if (body && typeof body === 'object' && Array.isArray((body as { rows?: unknown }).rows))
    rows = (body as { rows: unknown[] }).rows;
  if (rows) {
    const result = await svc.importRows(kind, rows, principal);
    reply.status(result.created > 0 ? 201 : 200);
    return result;
  }
  const { created, item } = await svc.recordOne(kind, body, principal);
  reply.status(created ? 201 : 200);
  return item;
}

function list(
  svc: FinanceInputsService,
  kind: FinanceInputKind,
  query: FinanceInputListQuery,
  principal: Principal,
): Promise<Page<FinanceInputView>> {
  return svc.list(
    kind,
    { dealer: dealerScope(principal, query.dealer), period: query.period },
    { limit: query.limit ?? 100, cursor: query.cursor },
  );
}

const CONFLICTS: ProblemDoc[] = [
  {
    status: 409,
    type: 'dealer-not-yet-known',
    title: 'Dealer not yet known',
    code: 'DEALER_NOT_YET_KNOWN',
    detail: '1 dealer code(s) are not known to this service yet; retry after 5 s.',
    errors: [{ field: 'dealerCode', rule: 'known', message: 'dealer D009 is not known yet' }],
    description: "Settlement has not yet received the dealer's registration; retry after Retry-After seconds",
  },
  {
    status: 409,
    type: 'reference-conflict',
    code: 'REFERENCE_CONFLICT',
    detail: '1 reference(s) already recorded with other content; nothing was written.',
    errors: [
      { field: 'rows[0].reference', rule: 'conflict', message: 'ERP-RC-2026-0001 is recorded with other content' },
    ],
    description: 'A reference is already recorded with other content; nothing written',
  },
];

const KINDS = {
  collection: {
    noun: 'collection',
    plural: 'Collections',
    what: 'a collection (回款), a percent basis, by value date',
    rules: ['R-SET-3', 'R-SET-10', 'R-SET-7'],
  },
  purchase: {
    noun: 'purchase',
    plural: 'Purchases',
    what: 'a purchase (购货额), a percent basis, by invoice date',
    rules: ['R-SET-3', 'R-SET-10', 'R-SET-7'],
  },
  breach: {
    noun: 'breach',
    plural: 'Breaches',
    what: "a breach of agreement for a dealer and quarter, which cancels that quarter's accrual",
    rules: ['R-SET-6'],
  },
} as const;

/** The documentation of POST /v1/<kind>: one input, or many as a JSON array or text/csv. */
function CreateDoc(kind: FinanceInputKind, dto: Type<unknown>, view: Type<unknown>): MethodDecorator {
  const k = KINDS[kind];
  const imported = importResultOf(view);
  const either = { oneOf: [{ $ref: getSchemaPath(view) }, { $ref: getSchemaPath(imported) }] };
  return applyDecorators(
    ApiDoc({
      id: `record${k.plural}`,
      summary: `Record ${k.noun}s`,
      description: `Records ${k.what}. One JSON object records one input (201 new, 200 same reference and content); a JSON array, { "rows": [...] } or a text/csv body with a header row imports many: every row is validated first, nothing is written when any is bad, and every bad row is listed (rows[n].field).`,
      rules: [...k.rules],
    }),
    ApiExtraModels(view, imported),
    ApiConsumes('application/json', 'text/csv'),
    ApiBody(bodyDoc(dto)),
    ApiCreatedResponse({ description: 'Recorded (one input, or the import result)', schema: either }),
    ApiOkResponse({ description: 'Already recorded with the same content', schema: either }),
    ApiProblems(400, ...CONFLICTS),
  );
}

function ListDoc(kind: FinanceInputKind, view: Type<unknown>): MethodDecorator {
  const k = KINDS[kind];
  return applyDecorators(
    ApiDoc({
      id: `list${k.plural}`,
      summary: `List ${k.noun}s`,
      description: `${k.plural} recorded by finance, newest ${kind === 'breach' ? 'quarter' : 'date'} first, filtered by dealer and period; a dealer sees only its own.`,
      rules: [...k.rules],
    }),
    ApiPageResponse(view, `One page of ${k.noun}s`),
    ApiProblems(400),
  );
}

const bodyDoc = (dto: Type<unknown>) => ({
  schema: {
    oneOf: [
      { $ref: getSchemaPath(dto) },
      { type: 'array', items: { $ref: getSchemaPath(dto) } },
      { type: 'string', description: 'text/csv with a header row' },
    ],
  },
});

@ApiTag('finance inputs', 'Collections, purchases and breaches recorded by finance (DOMAIN §6)')
@ApiBearerAuth()
@ApiExtraModels(CollectionDto)
@Controller('v1/collections')
export class CollectionsController {
  constructor(private readonly svc: FinanceInputsService) {}

  @Post()
  @Roles('finance')
  @CreateDoc('collection', CollectionDto, CollectionView)
  create(
    @Req() req: FastifyRequest,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return post(this.svc, 'collection', req, body, principal, reply);
  }

  @Get()
  @Roles('finance', 'auditor', 'admin', 'dealer')
  @ListDoc('collection', CollectionView)
  list(@Query() query: FinanceInputListQuery, @CurrentPrincipal() principal: Principal) {
    return list(this.svc, 'collection', query, principal);
  }
}

@ApiTag('finance inputs', 'Collections, purchases and breaches recorded by finance (DOMAIN §6)')
@ApiBearerAuth()
@ApiExtraModels(PurchaseDto)
@Controller('v1/purchases')
export class PurchasesController {
  constructor(private readonly svc: FinanceInputsService) {}

  @Post()
  @Roles('finance')
  @CreateDoc('purchase', PurchaseDto, PurchaseView)
  create(
    @Req() req: FastifyRequest,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return post(this.svc, 'purchase', req, body, principal, reply);
  }

  @Get()
  @Roles('finance', 'auditor', 'admin', 'dealer')
  @ListDoc('purchase', PurchaseView)
  list(@Query() query: FinanceInputListQuery, @CurrentPrincipal() principal: Principal) {
    return list(this.svc, 'purchase', query, principal);
  }
}

@ApiTag('finance inputs', 'Collections, purchases and breaches recorded by finance (DOMAIN §6)')
@ApiBearerAuth()
@ApiExtraModels(BreachDto)
@Controller('v1/breaches')
export class BreachesController {
  constructor(private readonly svc: FinanceInputsService) {}

  @Post()
  @Roles('finance')
  @CreateDoc('breach', BreachDto, BreachView)
  create(
    @Req() req: FastifyRequest,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return post(this.svc, 'breach', req, body, principal, reply);
  }

  @Get()
  @Roles('finance', 'auditor', 'admin', 'dealer')
  @ListDoc('breach', BreachView)
  list(@Query() query: FinanceInputListQuery, @CurrentPrincipal() principal: Principal) {
    return list(this.svc, 'breach', query, principal);
  }
}
