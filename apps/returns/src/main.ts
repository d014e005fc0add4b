import { createServiceApp, loadServiceConfig } from '@app/platform';
import { ReturnsAppModule } from './returns-app.module';

async function main(): Promise<void> {
  const config = loadServiceConfig('returns', process.env);
  const app = await createServiceApp(ReturnsAppModule.register(config), config, {
    title: 'Returns service',
    description: 'Return applications (RMA), classification, receipt and charges.',
  });
  await app.listen({ port: config.port, host: '0.0.0.0' });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error && err.name === 'ConfigurationError' ? err.message : err);
  process.exit(1);
});
