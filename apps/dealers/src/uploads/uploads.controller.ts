import { applyDecorators, Controller, Get, HttpCode, Param, Post, Query, Req, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiParam,
  ApiProduces,
} from '@nestjs/swagger';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import {
  ALL_ROLES,
  ApiDoc,
  ApiProblems,
  ApiTag,
  assertDealerAccess,
  CurrentPrincipal,
  dealerScope,
  domainProblem,
  MULTIPART_FILE_SIZE_LIMIT,
  preferredLanguage,
  reasonIn,
  Principal,
  Roles,
  YearMonthPipe,
} from '@app/platform';
import { DEALER_CODE_DOC, DEALER_CODE_PARAM, REPORT_MONTH_DOC } from '../registry/dealer.dto';
import { ReportTemplateService } from './report-template.service';
import { ReportTemplateQuery, UploadResultView } from './upload.dto';
import { FileTooLargeProblem, NotMultipartProblem, TooManyFilesProblem } from './uploads.problems';
import { UploadedFile, UploadMonthlyReportUseCase } from './upload-monthly-report.use-case';

const MAX_FILES = 10;
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The documentation of the upload route. */
const UploadDoc = () =>
  applyDecorators(
    ApiDoc({
      id: 'uploadMonthlyReport',
      summary: 'Upload a monthly report as XLSX or CSV',
      description:
        'Submits the forms of a monthly report from one XLSX workbook or CSV files named after the forms; the good rows are stored as new part versions, every error of every bad row is listed with sheet, row, column, rule and reason. ' +
        'A header-only sales sheet submits the month with zero sales lines, as PUT …/sales with no lines does. ' +
        'Nothing is stored, with a 422 saying why, for an empty file, a sheet missing a required column, an unfilled template or rows that are all refused.',
      rules: ['R-REP-1', 'R-REP-3'],
    }),
    ApiParam(DEALER_CODE_DOC),
    ApiParam(REPORT_MONTH_DOC),
    ApiCreatedResponse({ type: UploadResultView, description: 'What was stored and every bad row' }),
    ApiProblems(
      400,
      domainProblem(400, 'NO_FILE', 'Send at least one file.', 'No file in the form'),
      domainProblem(409, 'REPORT_CLOSED', 'The 2026-01 report of dealer D001 is closed.', 'The month is closed'),
      domainProblem(413, 'FILE_TOO_LARGE', 'A file is larger than 10 MiB.', 'A file is larger than 10 MiB'),
      domainProblem(413, 'TOO_MANY_FILES', 'At most 10 files per upload.', 'More than 10 files'),
      {
        ...domainProblem(
          415,
          'UNSUPPORTED_FILE_TYPE',
          'report.pdf is not an XLSX workbook or a CSV file.',
          'Not XLSX or CSV',
        ),
        type: 'unsupported-file-type',
      },
      domainProblem(422, 'NO_FORMS_FOUND', 'No sheet or file is named after a report form.', 'No form recognised'),
      domainProblem(422, 'EMPTY_FILE', 'The file sales.csv is empty; nothing was stored.', 'An empty file'),
      domainProblem(422, 'MISSING_COLUMNS', 'sales.csv: 数量 / units, 金额 / amount', 'A required column is missing'),
      domainProblem(422, 'NO_DATA_ROWS', 'No form has a data row; nothing was stored.', 'An unfilled template'),
      domainProblem(422, 'NO_VALID_ROWS', 'Every row was refused; nothing was stored.', 'Every row refused'),
    ),
  );

@ApiTag(
  'monthly-reports',
  "Dealers' monthly reports: sales, repairs, satisfaction, opinions, quality feedback, callbacks (R-REP-1..4)",
)
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
  @UploadDoc()
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
    const view = await this.uploadReport.execute(code, month, files, principal);
    // Row reasons are data of the answer: in the request's language like its problems.
    const language = preferredLanguage(req.headers['accept-language']);
    const cards = view.warrantyCards;
    return {
      ...view,
      errors: view.errors.map((e) => reasonIn(language, e)),
      warrantyCards: cards && { ...cards, results: cards.results.map((r) => reasonIn(language, r)) },
    };
  }

  @Get('v1/report-template.xlsx')
  @Roles(...ALL_ROLES)
  @ApiProduces(XLSX_MIME)
  @ApiDoc({
    id: 'downloadReportTemplate',
    summary: 'Download the report upload template',
    description:
      'The XLSX template for uploads: a bilingual instructions sheet, then one sheet per form with headers in Chinese and English (产品型号 / model), ' +
      "a marked example row the upload ignores, and drop-down lists of the dealer's outlets, the catalogue's models and yes/no. " +
      'A dealer always gets its own outlets; other roles name the dealer with `dealer` or get no outlet list.',
    rules: ['R-REP-1'],
  })
  @ApiOkResponse({
    description: 'The template workbook',
    content: { [XLSX_MIME]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblems(400, 404)
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
