export * from './configuration-error';
export * from './service-config';
export * from './load-service-config';
