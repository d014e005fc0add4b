/** Three tiers: unit specs beside the code, integration specs per service on a real
 * PostgreSQL and broker, end-to-end specs in test/ driving all four services over HTTP. */
const moduleNameMapper = {
  '^@app/(contracts|messaging|platform|kernel|dealer-directory|testing)(|/.*)$': '<rootDir>/libs/$1/src$2',
};
const base = {
  rootDir: __dirname,
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testEnvironment: 'node',
  moduleNameMapper,
};
module.exports = {
  // A test process whose event loop stops turning fails with its stack instead of hanging.
  globalSetup: '<rootDir>/test/support/event-loop-watchdog.js',
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'],
      slowTestThreshold: 30,
    },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], slowTestThreshold: 60 },
  ],
};
