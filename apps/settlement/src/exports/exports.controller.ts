import { Controller, Get, Param, ParseUUIDPipe, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiProduces } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiDoc, ApiProblems, ApiTag, CurrentPrincipal, Principal, QuarterPipe, Roles } from '@app/platform';
import { QUARTER_PARAM, STATEMENT_ID_PARAM, STATEMENT_NOT_FOUND } from '../statements/statements.view';
import { LedgerExportQuery } from './exports.dto';
import { ExportsService } from './exports.service';
import { LEDGER_COLUMNS, LINE_COLUMNS, linesOf, STATEMENT_COLUMNS } from './statement-columns';
import { toCsv } from './statement-csv';
import { statementPdf } from './statement-pdf';
import { statementsXlsx } from './statement-xlsx';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV = 'text/csv; charset=utf-8';
const CSV_NOTE = 'UTF-8 with a byte order mark (Excel shows Chinese), RFC 4180 quoting, header in Chinese and English.';

/** Sends `body` as an attachment named `filename`. */
function attachment(reply: FastifyReply, body: Buffer, type: string, filename: string): StreamableFile {
  reply.header('Content-Disposition', `attachment; filename="${filename}"`);
  return new StreamableFile(body, { type });
}

/** A file answer: the document's bytes under its media type, as an attachment. */
const fileResponse = (type: string, description: string) =>
  ApiOkResponse({
    description,
    content: { [type]: { schema: { type: 'string', format: type === CSV ? undefined : 'binary' } } },
    headers: {
      'Content-Disposition': { description: 'attachment; filename="…"', schema: { type: 'string' } },
    },
  });

@ApiTag('exports', 'Statements as bilingual PDF, XLSX and CSV documents; the ledger as CSV (R-SET-8, R-SET-9)')
@ApiBearerAuth()
@Controller('v1')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('statements/:id/export.pdf')
  @Roles('finance', 'auditor', 'admin', 'dealer')
  @ApiDoc({
    id: 'exportStatementPdf',
    summary: 'Download a statement as a bilingual PDF',
    description:
      'The statement as a document to send and sign, in Chinese and English: manufacturer and dealer, quarter with its dates, currency, every line with its rule id, totals, accrual vs deductions by month, approvals in Asia/Shanghai time, a seal block for both parties; ids and content hash in the footer. A dealer downloads only its own.',
    rules: ['R-SET-9'],
  })
  @ApiParam(STATEMENT_ID_PARAM)
  @ApiProduces('application/pdf')
  @fileResponse('application/pdf', 'The statement as PDF')
  @ApiProblems(400, STATEMENT_NOT_FOUND)
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
  @ApiDoc({
    id: 'exportStatementXlsx',
    summary: 'Download a statement as XLSX',
    description:
      'A statements sheet and a lines sheet (rule ids, readable sources), bilingual headers, a totals row on each. A dealer downloads only its own.',
    rules: ['R-SET-9'],
  })
  @ApiParam(STATEMENT_ID_PARAM)
  @ApiProduces(XLSX)
  @fileResponse(XLSX, 'The statement as XLSX')
  @ApiProblems(400, STATEMENT_NOT_FOUND)
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
  @ApiDoc({
    id: 'exportStatementCsv',
    summary: "Download a statement's lines as CSV",
    description: `One row per line of the statement with its rule id, basis, amount and sources. ${CSV_NOTE} A dealer downloads only its own.`,
    rules: ['R-SET-9'],
  })
  @ApiParam(STATEMENT_ID_PARAM)
  @ApiProduces(CSV)
  @fileResponse(CSV, 'The lines as CSV')
  @ApiProblems(400, STATEMENT_NOT_FOUND)
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
  @ApiDoc({
    id: 'exportQuarterXlsx',
    summary: "Download a quarter's statements as XLSX",
    description: "All dealers' statements of the quarter and all their lines in one workbook.",
    rules: ['R-SET-9'],
  })
  @ApiParam(QUARTER_PARAM)
  @ApiProduces(XLSX)
  @fileResponse(XLSX, "All dealers' statements of the quarter as XLSX")
  @ApiProblems(400)
  async quarterXlsx(
    @Param('quarter', QuarterPipe) quarter: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const all = await this.exports.quarter(quarter);
    return attachment(reply, await statementsXlsx(all), XLSX, `statements-${quarter}.xlsx`);
  }

  @Get('settlements/:quarter/export.csv')
  @Roles('finance', 'auditor', 'admin')
  @ApiDoc({
    id: 'exportQuarterCsv',
    summary: "Download a quarter's statements as CSV",
    description: `One row per statement: dealer, name, status, mode, opening, accrual, net, closing, invoiced, next opening, id and content hash. ${CSV_NOTE}`,
    rules: ['R-SET-9'],
  })
  @ApiParam(QUARTER_PARAM)
  @ApiProduces(CSV)
  @fileResponse(CSV, 'The statements as CSV')
  @ApiProblems(400)
  async quarterCsv(
    @Param('quarter', QuarterPipe) quarter: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const all = await this.exports.quarter(quarter);
    return attachment(reply, toCsv(STATEMENT_COLUMNS, all), CSV, `statements-${quarter}.csv`);
  }

  @Get('ledger/export.csv')
  @Roles('auditor', 'finance', 'admin')
  @ApiDoc({
    id: 'exportLedgerCsv',
    summary: 'Download ledger entries as CSV',
    description: `The double-entry ledger written by posting, in posting order, filtered by dealer, quarter and account (each optional), times in Asia/Shanghai. ${CSV_NOTE}`,
    rules: ['R-SET-8'],
  })
  @ApiProduces(CSV)
  @fileResponse(CSV, 'The ledger entries as CSV')
  @ApiProblems(400)
  async ledgerCsv(
    @Query() q: LedgerExportQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const entries = await this.exports.ledgerEntries({ dealer: q.dealer, quarter: q.quarter, account: q.account });
    const name = ['ledger', q.dealer, q.quarter].filter(Boolean).join('-');
    return attachment(reply, toCsv(LEDGER_COLUMNS, entries), CSV, `${name}.csv`);
  }
}
