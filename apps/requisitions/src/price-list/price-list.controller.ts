import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiDoc,
  ApiPageResponse,
  ApiProblems,
  ApiTag,
  CurrentPrincipal,
  domainProblem,
  Page,
  Principal,
  Roles,
  validationProblem,
  fieldErrorOf,
} from '@app/platform';
import { ImportResultView, ListPartsQuery, PartQuery, PartView, SetPartPriceDto } from './part.dto';
import { readPriceCsv } from './price-import';
import { PART_NO_PATTERN } from './price-rules';
import { PriceListService } from './price-list.service';

const ALL_ROLES = ['admin', 'finance', 'after-sales', 'auditor', 'dealer'] as const;

function checkPartNo(partNo: string): void {
  if (!PART_NO_PATTERN.test(partNo))
    throw validationProblem([fieldErrorOf('partNo', 'partNo', { key: 'reasons.priceList.partNo' })]);
}

const PRICE_VERSION_EXISTS = domainProblem(
  409,
  'PRICE_VERSION_EXISTS',
  'CTRL-48V already has another price effective from 2026-01-01.',
  'A version with other prices exists for that date',
);
const PART_NO_DOC = { name: 'partNo', description: 'The part number', example: 'CTRL-48V' };

@ApiTag('parts', 'The parts price list: list and cost prices by effective date (R-PRT-1)')
@ApiBearerAuth()
@Controller('v1/parts')
export class PriceListController {
  constructor(private readonly prices: PriceListService) {}

  /**
   * All-or-nothing: a JSON array (or `{ "rows": [...] }`), a `text/csv` body, or a multipart upload of a CSV file.
   * Any bad row refuses the whole import with every bad row listed; nothing is written (and nothing published).
   */
  @Post('import')
  @HttpCode(200)
  @Roles('admin', 'after-sales')
  @ApiConsumes('application/json', 'text/csv', 'multipart/form-data')
  @ApiBody({
    description: 'Rows of partNo, name, listPrice, costPrice, effectiveFrom (R-PRT-1)',
    schema: { type: 'array', items: { type: 'object' } },
  })
  @ApiDoc({
    id: 'importPartPrices',
    summary: 'Import part prices',
    description:
      'Imports price rows (partNo, name, listPrice, costPrice, effectiveFrom) from a JSON array, { "rows": [...] }, a text/csv body or a multipart CSV file, all or nothing: any bad row refuses the whole import with every bad row listed. Publishes PartPriceSet for each new version stored.',
    rules: ['R-PRT-1'],
  })
  @ApiOkResponse({ type: ImportResultView, description: 'What was stored' })
  @ApiProblems(
    400,
    PRICE_VERSION_EXISTS,
    domainProblem(
      409,
      'CONCURRENT_PRICE_CHANGE',
      'The price of CTRL-48V changed meanwhile; send the import again.',
      'A concurrent change; retry',
    ),
  )
  async import(
    @Req() req: FastifyRequest,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ImportResultView> {
    const type = String(req.headers['content-type'] ?? '').toLowerCase();
    if (req.isMultipart?.()) {
      const file = await req.file();
      if (!file) throw validationProblem([fieldErrorOf('file', 'required', { key: 'reasons.priceList.filePart' })]);
      return this.importCsv((await file.toBuffer()).toString('utf8'), principal);
    }
    if (type.startsWith('text/csv')) return this.importCsv(typeof body === 'string' ? body : '', principal);
    const rows = Array.isArray(body)
      ? body
      : body && typeof body === 'object' && Array.isArray((body as { rows?: unknown }).rows)
        ? (body as { rows: unknown[] }).rows
        : undefined;
    if (!rows) throw validationProblem([fieldErrorOf('rows', 'isArray', { key: 'reasons.priceList.jsonRows' })]);
    return this.prices.import(rows, 'json', principal);
  }

  private importCsv(text: string, principal: Principal): Promise<ImportResultView> {
    const { rows, errors } = readPriceCsv(text);
    if (errors.length) throw validationProblem(errors);
    return this.prices.import(rows, 'csv', principal);
  }

  @Put(':partNo')
  @Roles('admin', 'after-sales')
  @ApiDoc({
    id: 'setPartPrice',
    summary: 'Set the price of a part',
    description:
      'Stores a new price version of a part effective from a date (201, publishes PartPriceSet), or answers 200 when the same version is already there.',
    rules: ['R-PRT-1'],
  })
  @ApiParam(PART_NO_DOC)
  @ApiCreatedResponse({ type: PartView, description: 'A new version was stored' })
  @ApiOkResponse({ type: PartView, description: 'The same version was already there' })
  @ApiProblems(400, PRICE_VERSION_EXISTS)
  async set(
    @Param('partNo') partNo: string,
    @Body() dto: SetPartPriceDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PartView> {
    checkPartNo(partNo);
    const { created, part } = await this.prices.setPrice(partNo, dto, principal);
    reply.status(created ? 201 : 200);
    return part;
  }

  @Get()
  @Roles(...ALL_ROLES)
  @ApiDoc({
    id: 'listParts',
    summary: 'List parts with their prices',
    description: 'Parts by part number, each with its price in force on the given day and its history.',
    rules: ['R-PRT-1'],
  })
  @ApiPageResponse(PartView, 'One page of parts, by part number')
  @ApiProblems(400)
  list(@Query() query: ListPartsQuery): Promise<Page<PartView>> {
    return this.prices.list(query.limit ?? 100, query.cursor, query.on);
  }

  @Get(':partNo')
  @Roles(...ALL_ROLES)
  @ApiDoc({
    id: 'getPart',
    summary: 'Read a part with its prices',
    description: 'One part with its price in force on the given day and its history.',
    rules: ['R-PRT-1'],
  })
  @ApiParam(PART_NO_DOC)
  @ApiOkResponse({ type: PartView, description: 'The part' })
  @ApiProblems(400, {
    status: 404,
    detail: 'Part CTRL-99 is not in the price list.',
    description: 'Not in the price list',
  })
  get(@Param('partNo') partNo: string, @Query() query: PartQuery): Promise<PartView> {
    checkPartNo(partNo);
    return this.prices.get(partNo, query.on);
  }
}
