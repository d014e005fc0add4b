/** Dependency rules (docs/DESIGN-NOTES.md): apps → libs; only libs/messaging talks to Kafka. */
module.exports = {
  forbidden: [
    {
      name: 'no-cross-app-imports',
      comment: 'A service never imports another service; they talk over HTTP and Kafka events.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'kafkajs-only-in-messaging',
      comment: 'Only libs/messaging may use the Kafka client (and the test probe that plays an outside producer).',
      severity: 'error',
      from: { pathNot: '^libs/(messaging|testing)/' },
      to: { path: 'node_modules/kafkajs/' },
    },
    {
      name: 'pure-core-stays-pure',
      comment:
        'The rules (engine/, *-rules.ts, classification/) are pure functions over values: no framework, ORM or driver, so they are unit-tested without either.',
      severity: 'error',
      from: {
        path: ['/engine/', '/classification/', '-rules[.]ts$'],
        pathNot: ['[.](spec|int-spec|e2e-spec)[.]ts$', '/migrations/'],
      },
      to: { path: ['node_modules/@nestjs/', 'node_modules/typeorm/', 'node_modules/pg/', 'node_modules/pg-'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
