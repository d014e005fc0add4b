import { createServiceApp, loadServiceConfig } from '@app/platform';
import { DealersAppModule } from './dealers-app.module';

async function main(): Promise<void> {
  const config = loadServiceConfig('dealers', process.env);
  const app = await createServiceApp(DealersAppModule.register(config), config, {
    title: 'Dealers service',
    description:
      'Dealer registry, agreements, monthly reports, warranty cards, callback audits, complaints and violations.',
  });
  await app.listen({ port: config.port, host: '0.0.0.0' });
}

main().catch((err: unknown) => {
  // Configuration errors are already readable; anything else gets its stack.
  console.error(err instanceof Error && err.name === 'ConfigurationError' ? err.message : err);
  process.exit(1);
});
