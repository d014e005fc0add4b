import { ProblemException } from '../problem/problem.exception';

/** No usable bearer token: the client authenticates (WWW-Authenticate) and tries again. */
export class UnauthorizedProblem extends ProblemException {
  constructor(detail: string) {
    super({
      status: 401,
      type: 'unauthorized',
      title: 'Unauthorized',
      detail,
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
}

/** The principal is known but its role may not do this; `detail` says which rule refused it. */
export class ForbiddenProblem extends ProblemException {
  constructor(detail: string) {
    super({ status: 403, type: 'forbidden', title: 'Forbidden', detail });
  }
}
