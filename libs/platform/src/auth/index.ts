export * from './roles';
export * from './principal';
export * from './auth.decorators';
export * from './access-rules';
export * from './issue-token';
export { AuthGuard } from './auth.guard';
export { TokenVerifier } from './token-verifier';
