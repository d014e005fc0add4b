import { Module } from '@nestjs/common';
import { DealerDirectoryModule } from '@app/dealer-directory';
import { CardFactsProjection } from './card-facts.projection';
import { ConsumedEventsRepository } from './consumed-events.repository';
import { FactsProjection } from './facts.projection';
import { FactsRepository } from './facts.repository';

@Module({
  imports: [DealerDirectoryModule],
  providers: [ConsumedEventsRepository, CardFactsProjection, FactsProjection, FactsRepository],
  exports: [CardFactsProjection, ConsumedEventsRepository, FactsRepository, DealerDirectoryModule],
})
export class ProjectionsModule {}
