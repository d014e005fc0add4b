import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { CallbackAuditsController, WarrantyCardAuditController } from './callback-audits.controller';
import { CallbackAuditsRepository } from './callback-audits.repository';
import { CallbackAuditsService } from './callback-audits.service';

@Module({
  imports: [RegistryModule],
  controllers: [CallbackAuditsController, WarrantyCardAuditController],
  providers: [CallbackAuditsService, CallbackAuditsRepository],
  exports: [CallbackAuditsRepository],
})
export class CallbackAuditsModule {}
