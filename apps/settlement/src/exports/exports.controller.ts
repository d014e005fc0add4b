import { Controller, Get, Param, ParseUUIDPipe, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiProduces } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  ApiDoc,
  ApiProblems,
  ApiTag,
  assertDealerAccess,
  CurrentPrincipal,
  Principal,
  QuarterPipe,
  Roles,
} from '@app/platform';
import { StatementsRepository, StatementWithLines } from '../statements/statements.repository';
import { statementNotFound } from '../statements/statements.problems';
import { QUARTER_PARAM, STATEMENT_ID_PARAM, STATEMENT_NOT_FOUND } from '../statements/statements.view';
import { statementPdf, statementsXlsx } from './statement-exports';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file answer: the document's bytes under its media type, as an attachment. */
const fileResponse = (type: string, description: string) =>
  ApiOkResponse({
    description,
    content: { [type]: { schema: { type: 'string', format: 'binary' } } },
    headers: {
      'Content-Disposition': { description: 'attachment; filename="…"', schema: { type: 'string' } },
    },
  });

@ApiTag('exports', 'Statements as PDF and XLSX documents (R-SET-9)')
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
  @ApiDoc({
    id: 'exportStatementPdf',
    summary: 'Download a statement as PDF',
    description:
      'The statement as a PDF: header, lines with rule ids, totals, and accrual against deductions by month; a dealer downloads only its own.',
    rules: ['R-SET-9'],
  })
  @ApiParam(STATEMENT_ID_PARAM)
  @ApiProduces('application/pdf')
  @fileResponse('application/pdf', 'The PDF')
  @ApiProblems(400, STATEMENT_NOT_FOUND)
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
  @ApiDoc({
    id: 'exportStatementXlsx',
    summary: 'Download a statement as XLSX',
    description: 'The statement as a workbook: summary and lines with their sources; a dealer downloads only its own.',
    rules: ['R-SET-9'],
  })
  @ApiParam(STATEMENT_ID_PARAM)
  @ApiProduces(XLSX)
  @fileResponse(XLSX, 'The workbook')
  @ApiProblems(400, STATEMENT_NOT_FOUND)
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
  @ApiDoc({
    id: 'exportQuarterXlsx',
    summary: "Download a quarter's statements as XLSX",
    description: "All dealers' statements of the quarter in one workbook.",
    rules: ['R-SET-9'],
  })
  @ApiParam(QUARTER_PARAM)
  @ApiProduces(XLSX)
  @fileResponse(XLSX, 'The workbook')
  @ApiProblems(400)
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
