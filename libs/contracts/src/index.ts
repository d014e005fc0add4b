import 'reflect-metadata';

export * from './envelope';
export * from './event-definition';
export * from './topics';
export * from './events';
