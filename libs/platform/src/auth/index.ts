export * from './roles';
export * from './principal';
export * from './auth.decorators';
export * from './access-rules';
export * from './issue-token';
export { AuthGuard } from './auth.guard';
export { ForbiddenProblem, UnauthorizedProblem } from './auth.problems';
export { TokenVerifier } from './token-verifier';
