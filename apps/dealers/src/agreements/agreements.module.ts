import { Module } from '@nestjs/common';
import { MonthClosingModule } from '../month-closing/month-closing.module';
import { RegistryModule } from '../registry/registry.module';
import { AgreementsController } from './agreements.controller';
import { AgreementsRepository } from './agreements.repository';
import { AgreementsService } from './agreements.service';

@Module({
  imports: [RegistryModule, MonthClosingModule],
  controllers: [AgreementsController],
  providers: [AgreementsService, AgreementsRepository],
  exports: [AgreementsRepository],
})
export class AgreementsModule {}
