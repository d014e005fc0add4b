export * from './swagger.setup';
