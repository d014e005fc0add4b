export { PlatformModule, PLATFORM_ENTITIES, PLATFORM_MIGRATIONS } from './platform.module';
export type { PlatformModuleOptions } from './platform.module';
export * from './create-service-app';
