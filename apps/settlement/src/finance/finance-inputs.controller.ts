import { Body, Controller, Get, Post, Query, Req, Res, Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, dealerScope, Page, Principal, Roles, validationProblem } from '@app/platform';
import { readFinanceCsv } from './finance-csv';
import { FINANCE_INPUTS, FinanceInputKind } from './finance-input-rules';
import { BreachDto, CollectionDto, FinanceInputListQuery, PurchaseDto } from './finance-inputs.dto';
import { FinanceInputsService, FinanceInputView, ImportResult } from './finance-inputs.service';

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

const CONFLICTS = {
  description:
    "dealer-not-yet-known (DEALER_NOT_YET_KNOWN): settlement has not yet received the dealer's registration; retry after Retry-After seconds. " +
    'reference-conflict (REFERENCE_CONFLICT): the reference is recorded with other content.',
};

const bodyDoc = (dto: Type<unknown>) => ({
  schema: {
    oneOf: [
      { $ref: getSchemaPath(dto) },
      { type: 'array', items: { $ref: getSchemaPath(dto) } },
      { type: 'string', description: 'text/csv with a header row' },
    ],
  },
});

@ApiTags('finance inputs')
@ApiBearerAuth()
@ApiExtraModels(CollectionDto)
@Controller('v1/collections')
export class CollectionsController {
  constructor(private readonly svc: FinanceInputsService) {}

  @Post()
  @Roles('finance')
  @ApiOperation({ summary: 'Record a collection (回款) by value date, or import many (JSON array / text/csv)' })
  @ApiConflictResponse(CONFLICTS)
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody(bodyDoc(CollectionDto))
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
  @ApiOkResponse({ description: 'Collections, newest date first, paginated; filter by dealer and period' })
  list(@Query() query: FinanceInputListQuery, @CurrentPrincipal() principal: Principal) {
    return list(this.svc, 'collection', query, principal);
  }
}

@ApiTags('finance inputs')
@ApiBearerAuth()
@ApiExtraModels(PurchaseDto)
@Controller('v1/purchases')
export class PurchasesController {
  constructor(private readonly svc: FinanceInputsService) {}

  @Post()
  @Roles('finance')
  @ApiOperation({ summary: 'Record a purchase (购货额) by invoice date, or import many (JSON array / text/csv)' })
  @ApiConflictResponse(CONFLICTS)
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody(bodyDoc(PurchaseDto))
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
  @ApiOkResponse({ description: 'Purchases, newest date first, paginated; filter by dealer and period' })
  list(@Query() query: FinanceInputListQuery, @CurrentPrincipal() principal: Principal) {
    return list(this.svc, 'purchase', query, principal);
  }
}

@ApiTags('finance inputs')
@ApiBearerAuth()
@ApiExtraModels(BreachDto)
@Controller('v1/breaches')
export class BreachesController {
  constructor(private readonly svc: FinanceInputsService) {}

  @Post()
  @Roles('finance')
  @ApiOperation({
    summary: "Record a breach of agreement for a dealer and quarter: the quarter's accrual is cancelled (R-SET-6)",
  })
  @ApiConflictResponse(CONFLICTS)
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody(bodyDoc(BreachDto))
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
  @ApiOkResponse({ description: 'Breaches, newest quarter first, paginated; filter by dealer and quarter' })
  list(@Query() query: FinanceInputListQuery, @CurrentPrincipal() principal: Principal) {
    return list(this.svc, 'breach', query, principal);
  }
}
