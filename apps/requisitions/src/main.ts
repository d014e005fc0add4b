import { createServiceApp, loadServiceConfig } from '@app/platform';
import { RequisitionsAppModule } from './requisitions-app.module';

async function main(): Promise<void> {
  const config = loadServiceConfig('requisitions', process.env);
  const app = await createServiceApp(
    RequisitionsAppModule.register(config, { oldPartsSweepIntervalMs: 60 * 60 * 1000 }),
    config,
    {
      title: 'Requisitions service',
      description: 'Parts price list, requisitions, shipments and old-for-new returns of old parts.',
    },
  );
  await app.listen({ port: config.port, host: '0.0.0.0' });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error && err.name === 'ConfigurationError' ? err.message : err);
  process.exit(1);
});
