export { PlatformModule, PLATFORM_ENTITIES, PLATFORM_MIGRATIONS } from './platform.module';
export type { PlatformModuleOptions } from './platform.module';
export * from './create-service-app';
export { findBodyProblem, MAX_BODY_DEPTH, MAX_PARAM_LENGTH, MAX_URL_LENGTH } from './http-edge';
export { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS } from './cors';
