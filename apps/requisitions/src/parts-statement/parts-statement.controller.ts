import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DEALER_CODE_REGEX } from '@app/contracts';
import {
  assertDealerAccess,
  CurrentPrincipal,
  fieldError,
  PatternPipe,
  Principal,
  Roles,
  validationProblem,
  YearMonthPipe,
} from '@app/platform';
import { PartsStatement, partsStatementCsv } from './parts-statement';
import { PartsStatementService } from './parts-statement.service';

@ApiTags('parts-statements')
@ApiBearerAuth()
@Controller('v1/dealers/:code/parts-statements')
export class PartsStatementController {
  constructor(private readonly statements: PartsStatementService) {}

  @Get(':month')
  @Roles('dealer', 'after-sales', 'finance', 'auditor', 'admin')
  @ApiProduces('application/json', 'text/csv')
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  @ApiOkResponse({
    description:
      'R-PRT-5: requisitions approved in the month, lines, charges per target, old parts owed/received/invoiced; CSV with Accept: text/csv or ?format=csv',
  })
  async get(
    @Param('code', new PatternPipe('code', DEALER_CODE_REGEX, 'a dealer code')) code: string,
    @Param('month', YearMonthPipe) month: string,
    @Query('format') format: string | undefined,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PartsStatement | string> {
    if (format !== undefined && format !== 'json' && format !== 'csv') {
      throw validationProblem([fieldError('format', 'isIn', 'validation.fields.jsonOrCsv')]);
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
