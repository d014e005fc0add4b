import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module';
import { TalliesModule } from '../tallies/tallies.module';
import { BalanceController } from './balance.controller';
import { BalanceService } from './balance.service';

@Module({ imports: [ProjectionsModule, TalliesModule], controllers: [BalanceController], providers: [BalanceService] })
export class BalanceModule {}
