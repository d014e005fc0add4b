import { Injectable } from '@nestjs/common';
import { firstDayOfMonth, lastDayOfMonth } from '@app/kernel';
import { LineRow, LoadedRequisition, RequisitionsRepository } from '../requisitions/requisitions.repository';
import { buildPartsStatement, PartsStatement, StatementLine, StatementRequisition } from './parts-statement';

/** An approved line as the statement shows it, with the old parts owed, received and invoiced on it. */
function statementLine(l: LineRow): StatementLine {
  return {
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
  };
}

function statementRequisition(r: LoadedRequisition): StatementRequisition {
  return {
    requisitionId: r.id,
    approvedOn: r.approvedOn!,
    urgent: r.urgent,
    urgentFreightDifference: r.urgentFreightDifference,
    shippedOn: r.shippedOn,
    oldPartsDueOn: r.oldPartsDueOn,
    lines: r.lines.filter((l) => l.chargeTo !== null).map(statementLine),
  };
}

/** R-PRT-5: reads the month's approved requisitions of a dealer and builds its parts statement. */
@Injectable()
export class PartsStatementService {
  constructor(private readonly requisitions: RequisitionsRepository) {}

  async statement(dealerCode: string, month: string): Promise<PartsStatement> {
    const approved = await this.requisitions.approvedBetween(dealerCode, firstDayOfMonth(month), lastDayOfMonth(month));
    return buildPartsStatement(dealerCode, month, approved.map(statementRequisition));
  }
}
