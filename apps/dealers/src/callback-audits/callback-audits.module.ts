import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { CallbackAuditsController, WarrantyCardAuditController } from './callback-audits.controller';
import { CallbackAuditsService } from './callback-audits.service';

@Module({
  imports: [RegistryModule],
  controllers: [CallbackAuditsController, WarrantyCardAuditController],
  providers: [CallbackAuditsService],
})
export class CallbackAuditsModule {}
