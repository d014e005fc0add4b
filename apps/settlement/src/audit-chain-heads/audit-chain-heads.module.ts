import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module';
import { AuditChainHeadsController } from './audit-chain-heads.controller';
import { AuditChainHeadsProjection } from './audit-chain-heads.projection';
import { AuditChainHeadsRepository } from './audit-chain-heads.repository';

@Module({
  imports: [ProjectionsModule],
  controllers: [AuditChainHeadsController],
  providers: [AuditChainHeadsRepository, AuditChainHeadsProjection],
})
export class AuditChainHeadsModule {}
