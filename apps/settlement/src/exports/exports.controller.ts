import { Controller, Get, Param, ParseUUIDPipe, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Principal, QuarterPipe, Roles } from '@app/platform';
import { LedgerExportQuery } from './exports.dto';
import { ExportsService } from './exports.service';
import { LEDGER_COLUMNS, LINE_COLUMNS, linesOf, STATEMENT_COLUMNS } from './statement-columns';
import { toCsv } from './statement-csv';
import { statementPdf } from './statement-pdf';
import { statementsXlsx } from './statement-xlsx';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV = 'text/csv; charset=utf-8';
const CSV_NOTE = 'UTF-8 with a byte order mark (Excel shows Chinese), RFC 4180 quoting, header in Chinese and English.';
const binary = { schema: { type: 'string', format: 'binary' } } as const;

/** Sends `body` as an attachment named `filename`. */
function attachment(reply: FastifyReply, body: Buffer, type: string, filename: string): StreamableFile {
  reply.header('Content-Disposition', `attachment; filename="${filename}"`);
  return new StreamableFile(body, { type });
}

@ApiTags('exports')
@ApiBearerAuth()
@Controller('v1')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('statements/:id/export.pdf')
  @Roles('finance', 'auditor', 'admin', 'dealer')
  @ApiOperation({
    operationId: 'exportStatementPdf',
    summary: 'Statement as a bilingual PDF',
    description:
      'R-SET-9: the statement as a document to send and sign, in Chinese and English: manufacturer and dealer, quarter with its dates, currency, every line with its rule id, totals, accrual vs deductions by month, approvals in Asia/Shanghai time, a seal block for both parties; ids and content hash in the footer. Finance, auditors, admins; a dealer only its own statements.',
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The statement as PDF', content: { 'application/pdf': binary } })
  async pdf(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const s = await this.exports.statement(id, principal);
    const body = await statementPdf(s, this.exports.manufacturer);
    return attachment(reply, body, 'application/pdf', `statement-${s.dealerCode}-${s.quarter}.pdf`);
  }

  @Get('statements/:id/export.xlsx')
  @Roles('finance', 'auditor', 'admin', 'dealer')
  @ApiOperation({
    operationId: 'exportStatementXlsx',
    summary: 'Statement as an XLSX workbook',
    description:
      'R-SET-9: a statements sheet and a lines sheet (rule ids, readable sources), bilingual headers, a totals row on each. Finance, auditors, admins; a dealer only its own statements.',
  })
  @ApiProduces(XLSX)
  @ApiOkResponse({ description: 'The statement as XLSX', content: { [XLSX]: binary } })
  async xlsx(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const s = await this.exports.statement(id, principal);
    return attachment(reply, await statementsXlsx([s]), XLSX, `statement-${s.dealerCode}-${s.quarter}.xlsx`);
  }

  @Get('statements/:id/export.csv')
  @Roles('finance', 'auditor', 'admin', 'dealer')
  @ApiOperation({
    operationId: 'exportStatementCsv',
    summary: 'Statement lines as CSV',
    description: `R-SET-9: one row per line of the statement with its rule id, basis, amount and sources. ${CSV_NOTE} Finance, auditors, admins; a dealer only its own statements.`,
  })
  @ApiProduces(CSV)
  @ApiOkResponse({ description: 'The lines as CSV', content: { [CSV]: { schema: { type: 'string' } } } })
  async csv(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const s = await this.exports.statement(id, principal);
    return attachment(reply, toCsv(LINE_COLUMNS, linesOf([s])), CSV, `statement-${s.dealerCode}-${s.quarter}.csv`);
  }

  @Get('settlements/:quarter/export.xlsx')
  @Roles('finance', 'auditor', 'admin')
  @ApiOperation({
    operationId: 'exportQuarterXlsx',
    summary: "All dealers' statements of a quarter as XLSX",
    description:
      'R-SET-9: every statement of the quarter and all their lines in one workbook. Finance, auditors, admins.',
  })
  @ApiParam({ name: 'quarter', description: 'The quarter, YYYY-Qn', example: '2026-Q1' })
  @ApiProduces(XLSX)
  @ApiOkResponse({ description: "All dealers' statements of the quarter as XLSX", content: { [XLSX]: binary } })
  async quarterXlsx(
    @Param('quarter', QuarterPipe) quarter: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const all = await this.exports.quarter(quarter);
    return attachment(reply, await statementsXlsx(all), XLSX, `statements-${quarter}.xlsx`);
  }

  @Get('settlements/:quarter/export.csv')
  @Roles('finance', 'auditor', 'admin')
  @ApiOperation({
    operationId: 'exportQuarterCsv',
    summary: "All dealers' statements of a quarter as CSV",
    description: `One row per statement: dealer, name, status, mode, opening, accrual, net, closing, invoiced, next opening, id and content hash. ${CSV_NOTE} Finance, auditors, admins.`,
  })
  @ApiParam({ name: 'quarter', description: 'The quarter, YYYY-Qn', example: '2026-Q1' })
  @ApiProduces(CSV)
  @ApiOkResponse({ description: 'The statements as CSV', content: { [CSV]: { schema: { type: 'string' } } } })
  async quarterCsv(
    @Param('quarter', QuarterPipe) quarter: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const all = await this.exports.quarter(quarter);
    return attachment(reply, toCsv(STATEMENT_COLUMNS, all), CSV, `statements-${quarter}.csv`);
  }

  @Get('ledger/export.csv')
  @Roles('auditor', 'finance', 'admin')
  @ApiOperation({
    operationId: 'exportLedgerCsv',
    summary: 'Ledger entries as CSV',
    description: `R-SET-8: the double-entry ledger written by posting, in posting order, filtered by dealer, quarter and account (each optional), times in Asia/Shanghai. ${CSV_NOTE} Auditors, finance, admins.`,
  })
  @ApiProduces(CSV)
  @ApiOkResponse({ description: 'The ledger entries as CSV', content: { [CSV]: { schema: { type: 'string' } } } })
  async ledgerCsv(
    @Query() q: LedgerExportQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const entries = await this.exports.ledgerEntries({ dealer: q.dealer, quarter: q.quarter, account: q.account });
    const name = ['ledger', q.dealer, q.quarter].filter(Boolean).join('-');
    return attachment(reply, toCsv(LEDGER_COLUMNS, entries), CSV, `${name}.csv`);
  }
}
