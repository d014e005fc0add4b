import { createServiceApp, loadServiceConfig } from '@app/platform';
import { SettlementAppModule } from './settlement-app.module';

async function main(): Promise<void> {
  const config = loadServiceConfig('settlement', process.env);
  const app = await createServiceApp(SettlementAppModule.register(config), config, {
    title: 'Settlement service',
    description:
      'Collections, purchases and breaches; projections of every fact; monthly tally; quarterly statements; ledger; disputes; auditor queries.',
  });
  await app.listen({ port: config.port, host: '0.0.0.0' });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error && err.name === 'ConfigurationError' ? err.message : err);
  process.exit(1);
});
