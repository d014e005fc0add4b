import { notFoundProblem, problemText } from '@app/platform';

/** The problems the balance answers with. */

/** A dealer whose DealerRegistered event settlement has not received. */
export const dealerNotKnown = (dealerCode: string) =>
  notFoundProblem(problemText('dealerNotKnownToSettlement', { dealerCode }));
