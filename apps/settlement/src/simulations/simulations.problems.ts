import { notFoundProblem, problemText } from '@app/platform';

/** The problems the simulations feature answers with (bad terms, scopes and quarter ranges are validation problems). */

export const simulationNotFound = (id: string) => notFoundProblem(problemText('simulationNotFound', { id }));
