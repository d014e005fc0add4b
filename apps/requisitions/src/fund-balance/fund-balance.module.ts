import { Module } from '@nestjs/common';
import { FundBalanceProjection } from './fund-balance.projection';

@Module({ providers: [FundBalanceProjection], exports: [FundBalanceProjection] })
export class FundBalanceModule {}
