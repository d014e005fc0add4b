import { Controller, Get, HttpCode, Param, Post, Query, Req, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import {
  ALL_ROLES,
  assertDealerAccess,
  CurrentPrincipal,
  dealerScope,
  MULTIPART_FILE_SIZE_LIMIT,
  Principal,
  Roles,
  YearMonthPipe,
} from '@app/platform';
import { DEALER_CODE_PARAM } from '../registry/dealer.dto';
import { ReportTemplateService } from './report-template.service';
import { ReportTemplateQuery, UploadResultView } from './upload.dto';
import { FileTooLargeProblem, NotMultipartProblem, TooManyFilesProblem } from './uploads.problems';
import { UploadedFile, UploadMonthlyReportUseCase } from './upload-monthly-report.use-case';

const MAX_FILES = 10;
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@ApiTags('monthly-reports')
@ApiBearerAuth()
@Controller()
export class UploadsController {
  constructor(
    private readonly uploadReport: UploadMonthlyReportUseCase,
    private readonly templates: ReportTemplateService,
  ) {}

  @Post('v1/dealers/:code/reports/:month/upload')
  @HttpCode(201)
  @Roles('dealer')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    description: `One XLSX workbook (a sheet per form, see GET /v1/report-template.xlsx) or CSV files named after the forms (sales.csv, 每月销售统计表.csv…), UTF-8; each file at most ${MULTIPART_FILE_SIZE_LIMIT / 1024 / 1024} MiB.`,
    schema: { type: 'object', properties: { file: { type: 'array', items: { type: 'string', format: 'binary' } } } },
  })
  @ApiCreatedResponse({
    type: UploadResultView,
    description:
      'Good rows stored; every error of every bad row listed with sheet, row, column, rule and reason (R-REP-3). ' +
      'A header-only sales sheet submits the month with zero sales lines, as PUT …/sales with no lines does. ' +
      '413: file too large; 415: not XLSX/CSV; 422 when nothing would be stored: EMPTY_FILE, MISSING_COLUMNS, NO_DATA_ROWS (an unfilled template), NO_VALID_ROWS (every row refused, all errors listed).',
  })
  async upload(
    @Param('code', DEALER_CODE_PARAM) code: string,
    @Param('month', YearMonthPipe) month: string,
    @Req() req: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<UploadResultView> {
    assertDealerAccess(principal, code);
    if (!req.isMultipart()) {
      throw new NotMultipartProblem();
    }
    const files: UploadedFile[] = [];
    try {
      const parts: AsyncIterableIterator<MultipartFile> = req.files({
        limits: { fileSize: MULTIPART_FILE_SIZE_LIMIT, files: MAX_FILES },
      });
      for await (const part of parts) {
        files.push({ filename: part.filename, mimetype: part.mimetype, data: await part.toBuffer() });
      }
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new FileTooLargeProblem();
      }
      if (code === 'FST_FILES_LIMIT') {
        throw new TooManyFilesProblem(MAX_FILES);
      }
      throw err;
    }
    return this.uploadReport.execute(code, month, files, principal);
  }

  @Get('v1/report-template.xlsx')
  @Roles(...ALL_ROLES)
  @ApiProduces(XLSX_MIME)
  @ApiOkResponse({
    description:
      'The upload template: a bilingual instructions sheet, then one sheet per form with headers in Chinese and English (产品型号 / model), ' +
      "a marked example row the upload ignores, and drop-down lists of the dealer's outlets, the catalogue's models and yes/no",
  })
  async template(
    @Query() query: ReportTemplateQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StreamableFile> {
    return new StreamableFile(await this.templates.build(dealerScope(principal, query.dealer)), {
      type: XLSX_MIME,
      disposition: 'attachment; filename="report-template.xlsx"',
    });
  }
}
