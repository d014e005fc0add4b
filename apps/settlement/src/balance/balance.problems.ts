import { notFoundProblem } from '@app/platform';

/** The problems the balance answers with. */

/** A dealer whose DealerRegistered event settlement has not received. */
export const dealerNotKnown = (dealerCode: string) =>
  notFoundProblem(`Dealer ${dealerCode} is not known to settlement.`);
