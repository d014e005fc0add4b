import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiParam,
  ApiProduces,
  ApiQuery,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DEALER_CODE_REGEX } from '@app/contracts';
import {
  ApiDoc,
  ApiProblems,
  ApiTag,
  assertDealerAccess,
  CurrentPrincipal,
  PatternPipe,
  Principal,
  Roles,
  validationProblem,
  YearMonthPipe,
} from '@app/platform';
import { PartsStatement, partsStatementCsv } from './parts-statement';
import { PartsStatementService } from './parts-statement.service';
import { PartsStatementView } from './parts-statement.view';

@ApiTag('parts-statements', "A dealer's monthly parts statement (R-PRT-5)")
@ApiBearerAuth()
@Controller('v1/dealers/:code/parts-statements')
export class PartsStatementController {
  constructor(private readonly statements: PartsStatementService) {}

  @Get(':month')
  @Roles('dealer', 'after-sales', 'finance', 'auditor', 'admin')
  @ApiProduces('application/json', 'text/csv')
  @ApiDoc({
    id: 'getPartsStatement',
    summary: "Read a dealer's monthly parts statement",
    description:
      'The requisitions approved in the month with their lines, charges per target and old parts owed, received and invoiced; as CSV with Accept: text/csv or ?format=csv. A dealer reads only its own.',
    rules: ['R-PRT-5', 'R-SET-10'],
  })
  @ApiParam({ name: 'code', description: 'The dealer code', example: 'D001' })
  @ApiParam({ name: 'month', description: 'The month, YYYY-MM', example: '2026-01' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'], description: 'json (default) or csv' })
  @ApiOkResponse({
    description: 'The statement',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(PartsStatementView) } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  @ApiExtraModels(PartsStatementView)
  @ApiProblems(400)
  async get(
    @Param('code', new PatternPipe('code', DEALER_CODE_REGEX, 'a dealer code')) code: string,
    @Param('month', YearMonthPipe) month: string,
    @Query('format') format: string | undefined,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PartsStatement | string> {
    if (format !== undefined && format !== 'json' && format !== 'csv') {
      throw validationProblem([{ field: 'format', rule: 'isIn', message: 'format must be json or csv' }]);
    }
    assertDealerAccess(principal, code);
    const statement = await this.statements.statement(code, month);
    const csv = format === 'csv' || (format === undefined && /\btext\/csv\b/i.test(accept ?? ''));
    if (!csv) return statement;
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="parts-statement-${code}-${month}.csv"`);
    return partsStatementCsv(statement);
  }
}
