import { ProblemException } from '@app/platform';

export class UnknownDealerProblem extends ProblemException {
  constructor(dealerCode: string) {
    super({
      status: 422,
      type: 'unknown-dealer',
      code: 'UNKNOWN_DEALER',
      detail: `Dealer ${dealerCode} is not registered.`,
      errors: [{ field: 'dealerCode', rule: 'exists', message: 'no such dealer' }],
    });
  }
}

export class ShipmentReferenceConflictProblem extends ProblemException {
  constructor(reference: string) {
    super({
      status: 409,
      type: 'shipment-reference-conflict',
      code: 'SHIPMENT_REFERENCE_CONFLICT',
      detail: `Shipment ${reference} was already imported with different content.`,
    });
  }
}
