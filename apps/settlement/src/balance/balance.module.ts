import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module';
import { BalanceController } from './balance.controller';
import { BalanceService } from './balance.service';

@Module({ imports: [ProjectionsModule], controllers: [BalanceController], providers: [BalanceService] })
export class BalanceModule {}
