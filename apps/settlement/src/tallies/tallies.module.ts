import { Module } from '@nestjs/common';
import { Clock, intervalJob, SERVICE_CONFIG, ServiceConfig, SETTLEMENT_DEFAULTS } from '@app/platform';
import { ProjectionsModule } from '../projections/projections.module';
import { StatementsModule } from '../statements/statements.module';
import { TalliesController } from './tallies.controller';
import { TalliesRepository } from './tallies.repository';
import { TalliesService } from './tallies.service';

/** DI token of the scheduled tally check's IntervalJob. */
export const TALLY_CHECK_JOB = 'SETTLEMENT_TALLY_CHECK_JOB';

/**
 * The scheduled tally check (R-SET-1): every SETTLEMENT_TALLY_CHECK_MS (default 10 minutes,
 * 0 = off, as in tests, which call TalliesService.tallyDue with their own instant), months whose
 * report due time passed are tallied.
 */
const tallyCheck = intervalJob<[ServiceConfig, TalliesService, Clock]>(
  TALLY_CHECK_JOB,
  'tally check',
  [SERVICE_CONFIG, TalliesService, Clock],
  (config) => (config.settlement ?? SETTLEMENT_DEFAULTS).tallyCheckMs,
  (_config, tallies, clock) => tallies.tallyDue(clock.now()),
);

@Module({
  imports: [ProjectionsModule, StatementsModule],
  controllers: [TalliesController],
  providers: [TalliesService, TalliesRepository, tallyCheck],
  exports: [TalliesService],
})
export class TalliesModule {}
