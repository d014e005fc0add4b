import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiParam, ApiProduces } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  ApiDoc,
  ApiPageResponse,
  ApiProblems,
  ApiTag,
  CurrentPrincipal,
  decodePageCursor,
  DEFAULT_PAGE_SIZE,
  Page,
  Principal,
  Roles,
  toPage,
} from '@app/platform';
import { quartersBetween } from './simulation-rules';
import { simulationXlsx } from './simulation-xlsx';
import { SimulationListQuery, SimulationResultsQuery, StartSimulationDto } from './simulations.dto';
import { SimulationRecord, SimulationResult, SimulationsRepository } from './simulations.repository';
import { SimulationsService } from './simulations.service';
import * as View from './simulations.view';
import { SIMULATION_ID_PARAM, SIMULATION_NOT_FOUND } from './simulations.view';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const LIST_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\|[0-9a-f-]{36}$/;
const RESULT_KEY = /^\d{4}-Q[1-4]\|[A-Za-z0-9_-]{1,32}$/;

@ApiTag('simulations', 'What-if on proposed agreement terms over past quarters · 协议条款模拟测算')
@ApiBearerAuth()
@Controller('v1/simulations')
export class SimulationsController {
  constructor(
    private readonly service: SimulationsService,
    private readonly simulations: SimulationsRepository,
  ) {}

  @Post()
  @HttpCode(202)
  @Roles('finance', 'admin')
  @ApiDoc({
    id: 'startSimulation',
    summary: 'Start a what-if simulation · 发起模拟测算',
    description:
      'Recomputes past quarters of one dealer, a list of dealers or every dealer of a region with proposed agreement terms, in the background, with the engine of the quarterly run over the stored facts; no statement or ledger entry is written. Each quarter uses the facts its stored statement was settled on (approval, or the draft computation) and opens on the previous simulated quarter. GET the simulation for its progress and totals. · 以拟议协议条款在后台重算一个、多个经销商或某区域全部经销商的过往季度，与季度结算使用同一计算引擎和已存事实，不写入任何结算单或分类账。',
    rules: ['R-AGR-1', 'R-SET-2', 'R-SET-4'],
  })
  @ApiAcceptedResponse({ type: View.SimulationView, description: 'The simulation, started (status RUNNING)' })
  @ApiProblems({
    status: 400,
    description:
      'Bad terms (named under terms.), a quarter range in the future, reversed or too long, an unknown dealer, a region without dealers',
    errors: [{ field: 'terms.unitRate', rule: 'R-AGR-1', message: 'unitRate is required for PER_CARD' }],
  })
  async start(@Body() dto: StartSimulationDto, @CurrentPrincipal() principal: Principal): Promise<View.SimulationView> {
    return this.view(await this.service.start(dto, principal));
  }

  @Get()
  @Roles('finance', 'auditor', 'admin')
  @ApiDoc({
    id: 'listSimulations',
    summary: 'List simulations · 模拟测算列表',
    description: 'The simulations without their results, newest first. · 模拟测算列表（不含结果），最新的在前。',
  })
  @ApiPageResponse(View.SimulationSummaryView, 'One page of simulations, newest first')
  @ApiProblems(400)
  async list(@Query() q: SimulationListQuery): Promise<Page<SimulationRecord>> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.simulations.list(decodePageCursor(q.cursor, LIST_KEY), limit);
    return toPage(rows, limit, (s) => `${s.startedAt}|${s.id}`);
  }

  @Get(':id')
  @Roles('finance', 'auditor', 'admin')
  @ApiDoc({
    id: 'getSimulation',
    summary: 'Read a simulation with its progress and totals · 查看模拟测算进度与合计',
    description:
      'Scope, proposed terms, dealers done out of the total, errors, and per quarter the actual closing, the simulated closing and the difference summed over the dealers. · 范围、拟议条款、进度、错误，以及每季度实际期末、模拟期末与差额的合计。',
  })
  @ApiParam(SIMULATION_ID_PARAM)
  @ApiOkResponse({ type: View.SimulationView, description: 'The simulation' })
  @ApiProblems(400, SIMULATION_NOT_FOUND)
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<View.SimulationView> {
    return this.view(await this.service.get(id));
  }

  @Get(':id/results')
  @Roles('finance', 'auditor', 'admin')
  @ApiDoc({
    id: 'listSimulationResults',
    summary: 'List the results of a simulation · 模拟测算结果明细',
    description:
      'Per dealer and quarter: the stored statement’s closing (null when the dealer has no statement of the quarter), the simulated opening and closing, the difference and the lines that changed with their rule ids; by quarter, then dealer code. · 按经销商和季度列出实际期末、模拟期末、差额及变动明细行（含规则编号）。',
  })
  @ApiParam(SIMULATION_ID_PARAM)
  @ApiPageResponse(View.SimulationResultView, 'One page of results, by quarter then dealer code')
  @ApiProblems(400, SIMULATION_NOT_FOUND)
  async results(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: SimulationResultsQuery,
  ): Promise<Page<SimulationResult>> {
    await this.service.get(id);
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.simulations.results(
      id,
      { dealer: q.dealer, quarter: q.quarter },
      decodePageCursor(q.cursor, RESULT_KEY),
      limit,
    );
    return toPage(rows, limit, (r) => `${r.quarter}|${r.dealerCode}`);
  }

  @Get(':id/export.xlsx')
  @Roles('finance', 'auditor', 'admin')
  @ApiDoc({
    id: 'exportSimulationXlsx',
    summary: 'Download a simulation as a bilingual XLSX workbook · 下载模拟测算 XLSX',
    description:
      'Three sheets with headers in Chinese and English: totals by quarter, every dealer and quarter, every changed line with its rule id; each with a totals row. · 三个工作表（中英文表头）：按季度合计、经销商明细、变动明细行。',
  })
  @ApiParam(SIMULATION_ID_PARAM)
  @ApiProduces(XLSX)
  @ApiOkResponse({
    description: 'The simulation as XLSX',
    content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } },
    headers: { 'Content-Disposition': { description: 'attachment; filename="…"', schema: { type: 'string' } } },
  })
  @ApiProblems(400, SIMULATION_NOT_FOUND)
  async xlsx(
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const s = await this.service.get(id);
    const body = await simulationXlsx(
      s,
      await this.simulations.totals(id),
      await this.simulations.results(id, {}, undefined, null),
    );
    reply.header('Content-Disposition', `attachment; filename="simulation-${id}.xlsx"`);
    return new StreamableFile(body, { type: XLSX });
  }

  private async view(s: SimulationRecord): Promise<View.SimulationView> {
    return {
      ...s,
      terms: { ...s.terms },
      quarters: quartersBetween(s.fromQuarter, s.toQuarter),
      totals: await this.simulations.totals(s.id),
    };
  }
}
