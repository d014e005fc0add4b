export * from './mock-broker';
export * from './test-database';
export * from './service-harness';
export * from './kafka-probe';
export * from './service-under-test';
export * from './table-fingerprint';
export * from './platform-test-app';
