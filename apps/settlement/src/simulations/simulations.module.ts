import { Module } from '@nestjs/common';
import { StatementsModule } from '../statements/statements.module';
import { SimulationsController } from './simulations.controller';
import { SimulationsRepository } from './simulations.repository';
import { SimulationsService } from './simulations.service';

/** What-if on proposed terms: simulations over past quarters with the engine of the quarterly run. */
@Module({
  imports: [StatementsModule],
  controllers: [SimulationsController],
  providers: [SimulationsRepository, SimulationsService],
  exports: [SimulationsService],
})
export class SimulationsModule {}
