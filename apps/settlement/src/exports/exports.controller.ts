import { Controller, Get, Param, ParseUUIDPipe, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { assertDealerAccess, CurrentPrincipal, Principal, QuarterPipe, Roles } from '@app/platform';
import { StatementsRepository, StatementWithLines } from '../statements/statements.repository';
import { statementNotFound } from '../statements/statements.problems';
import { statementPdf, statementsXlsx } from './statement-exports';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@ApiTags('exports')
@ApiBearerAuth()
@Controller('v1')
export class ExportsController {
  constructor(private readonly store: StatementsRepository) {}

  private async statement(id: string, principal: Principal): Promise<StatementWithLines> {
    const s = await this.store.findWithLines(id);
    if (!s) throw statementNotFound(id);
    assertDealerAccess(principal, s.dealerCode);
    return s;
  }

  @Get('statements/:id/export.pdf')
  @Roles('finance', 'auditor', 'admin', 'dealer')
  @ApiProduces('application/pdf')
  @ApiOkResponse({
    description: 'The statement as PDF: header, lines with rule ids, totals, accrual vs deductions by month',
  })
  async pdf(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const s = await this.statement(id, principal);
    reply.header('Content-Disposition', `attachment; filename="statement-${s.dealerCode}-${s.quarter}.pdf"`);
    return new StreamableFile(await statementPdf(s), { type: 'application/pdf' });
  }

  @Get('statements/:id/export.xlsx')
  @Roles('finance', 'auditor', 'admin', 'dealer')
  @ApiProduces(XLSX)
  @ApiOkResponse({ description: 'The statement as XLSX (summary and lines with sources)' })
  async xlsx(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const s = await this.statement(id, principal);
    reply.header('Content-Disposition', `attachment; filename="statement-${s.dealerCode}-${s.quarter}.xlsx"`);
    return new StreamableFile(await statementsXlsx([s]), { type: XLSX });
  }

  @Get('settlements/:quarter/export.xlsx')
  @Roles('finance', 'auditor', 'admin')
  @ApiParam({ name: 'quarter', example: '2026-Q1' })
  @ApiProduces(XLSX)
  @ApiOkResponse({ description: "All dealers' statements of the quarter in one workbook" })
  async quarterXlsx(
    @Param('quarter', QuarterPipe) quarter: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const all: StatementWithLines[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.store.list({ quarter }, after, 500);
      const chunk = page.slice(0, 500);
      const lines = await this.store.linesOf(chunk.map((s) => s.id));
      for (const s of chunk) all.push({ ...s, lines: lines.get(s.id) ?? [] });
      if (page.length <= 500) break;
      after = `${page[499].quarter}|${page[499].dealerCode}`;
    }
    reply.header('Content-Disposition', `attachment; filename="statements-${quarter}.xlsx"`);
    return new StreamableFile(await statementsXlsx(all), { type: XLSX });
  }
}
