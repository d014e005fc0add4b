import { Module } from '@nestjs/common';
import { DealerDirectoryModule } from '@app/dealer-directory';
import { CardFactsProjection } from './card-facts.projection';

@Module({ imports: [DealerDirectoryModule], providers: [CardFactsProjection], exports: [CardFactsProjection, DealerDirectoryModule] })
export class ProjectionsModule {}
