import { oldPartsOutstanding } from '../old-parts/old-parts-rules';
import { RequisitionLineView, RequisitionView } from './requisition.dto';
import { summariseCharges } from './requisition-rules';
import { LineRow, LoadedRequisition } from './requisitions.repository';

/** The old parts a shipped WARRANTY line owes, has returned and was invoiced for (R-PRT-4). */
function oldPartsView(l: LineRow): RequisitionLineView['oldParts'] {
  return {
    owed: l.approvedQuantity ?? 0,
    received: l.oldPartsReceived,
    outstanding: oldPartsOutstanding({
      purpose: l.purpose,
      approvedQuantity: l.approvedQuantity ?? 0,
      received: l.oldPartsReceived,
      invoiced: l.invoicedQuantity !== null,
    }),
    invoicedQuantity: l.invoicedQuantity ?? 0,
    invoicedAmount: l.invoicedAmount,
    invoicedOn: l.invoicedOn,
  };
}

function lineView(l: LineRow, shipped: boolean): RequisitionLineView {
  const owesOldParts = l.purpose === 'WARRANTY' && (l.approvedQuantity ?? 0) > 0;
  return {
    lineId: l.id,
    lineNo: l.lineNo,
    partNo: l.partNo,
    quantity: l.quantity,
    purpose: l.purpose,
    repairTickets: l.repairTickets,
    approvedQuantity: l.approvedQuantity,
    cutReason: l.cutReason,
    partName: l.partName,
    listPrice: l.listPrice,
    costPrice: l.costPrice,
    amount: l.amount,
    chargeTo: l.chargeTo,
    oldParts: owesOldParts && shipped ? oldPartsView(l) : null,
  };
}

export function requisitionView(r: LoadedRequisition): RequisitionView {
  const approvedLines = r.lines.filter(
    (l) => (l.approvedQuantity ?? 0) > 0 && l.amount !== null && l.chargeTo !== null,
  );
  return {
    id: r.id,
    dealerCode: r.dealerCode,
    status: r.status,
    urgent: r.urgent,
    note: r.note,
    submittedBy: r.submittedBy,
    submittedAt: r.submittedAt.toISOString(),
    filedOn: r.filedOn,
    approvedOn: r.approvedOn,
    approvedBy: r.approvedBy,
    termsVersion: r.termsVersion,
    urgentFreightDifference: r.urgentFreightDifference,
    shippedOn: r.shippedOn,
    oldPartsDueOn: r.oldPartsDueOn,
    lines: r.lines.map((l) => lineView(l, r.status === 'SHIPPED')),
    charges:
      r.status === 'SUBMITTED'
        ? null
        : summariseCharges(
            approvedLines.map((l) => ({ amount: l.amount!, chargeTo: l.chargeTo! })),
            r.urgentFreightDifference,
          ),
  };
}
