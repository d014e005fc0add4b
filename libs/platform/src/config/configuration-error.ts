/** Thrown by loadServiceConfig when the environment is incomplete or invalid; the message lists every problem. */
export class ConfigurationError extends Error {
  constructor(
    readonly serviceName: string,
    readonly problems: ReadonlyArray<{ variable: string; reason: string }>,
  ) {
    super(
      `Invalid configuration for service "${serviceName}":\n` +
        problems.map((p) => `  - ${p.variable}: ${p.reason}`).join('\n'),
    );
    this.name = 'ConfigurationError';
  }
}
