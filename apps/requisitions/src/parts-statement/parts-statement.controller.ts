import { Controller, Get, Headers, Injectable, Module, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { firstDayOfMonth, lastDayOfMonth } from '@app/kernel';
import { DEALER_CODE_REGEX } from '@app/contracts';
import {
  assertDealerAccess,
  CurrentPrincipal,
  PatternPipe,
  Principal,
  Roles,
  validationProblem,
  YearMonthPipe,
} from '@app/platform';
import { loadRequisitions } from '../requisitions/requisition.store';
import { buildPartsStatement, PartsStatement, partsStatementCsv, StatementRequisition } from './parts-statement';

/** R-PRT-5: reads the month's approved requisitions of a dealer and builds its parts statement. */
@Injectable()
export class PartsStatementService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async statement(dealerCode: string, month: string): Promise<PartsStatement> {
    const ids: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM requisitions WHERE dealer_code = $1 AND approved_on BETWEEN $2 AND $3 ORDER BY approved_on, seq`,
      [dealerCode, firstDayOfMonth(month), lastDayOfMonth(month)],
    );
    const loaded = await loadRequisitions(
      this.db.manager,
      ids.map((r) => r.id),
    );
    const requisitions: StatementRequisition[] = loaded.map((r) => ({
      requisitionId: r.id,
      approvedOn: r.approvedOn!,
      urgent: r.urgent,
      urgentFreightDifference: r.urgentFreightDifference,
      shippedOn: r.shippedOn,
      oldPartsDueOn: r.oldPartsDueOn,
      lines: r.lines
        .filter((l) => l.chargeTo !== null)
        .map((l) => ({
          lineId: l.id,
          partNo: l.partNo,
          partName: l.partName!,
          purpose: l.purpose,
          repairTickets: l.repairTickets,
          requestedQuantity: l.quantity,
          approvedQuantity: l.approvedQuantity ?? 0,
          cutReason: l.cutReason,
          listPrice: l.listPrice!,
          costPrice: l.costPrice!,
          amount: l.amount!,
          chargeTo: l.chargeTo!,
          oldPartsOwed: l.purpose === 'WARRANTY' ? (l.approvedQuantity ?? 0) : 0,
          oldPartsReceived: l.oldPartsReceived,
          oldPartsInvoicedQuantity: l.invoicedQuantity ?? 0,
          oldPartsInvoicedAmount: l.invoicedAmount ?? '0.00',
        })),
    }));
    return buildPartsStatement(dealerCode, month, requisitions);
  }
}

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

@Module({ controllers: [PartsStatementController], providers: [PartsStatementService] })
export class PartsStatementModule {}
