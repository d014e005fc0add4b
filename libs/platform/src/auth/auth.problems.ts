import { ProblemException, ProblemText } from '../problem/problem.exception';

/** No usable bearer token: the client authenticates (WWW-Authenticate) and tries again. */
export class UnauthorizedProblem extends ProblemException {
  constructor(detail: ProblemText) {
    super({
      status: 401,
      type: 'unauthorized',
      detail,
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
}

/** The principal is known but its role may not do this; `detail` says which rule refused it. */
export class ForbiddenProblem extends ProblemException {
  constructor(detail: ProblemText) {
    super({ status: 403, type: 'forbidden', detail });
  }
}
