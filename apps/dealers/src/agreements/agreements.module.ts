import { Module } from '@nestjs/common';
import { MonthClosingModule } from '../month-closing/month-closing.module';
import { RegistryModule } from '../registry/registry.module';
import { AgreementsController } from './agreements.controller';
import { AgreementsService } from './agreements.service';

@Module({
  imports: [RegistryModule, MonthClosingModule],
  controllers: [AgreementsController],
  providers: [AgreementsService],
})
export class AgreementsModule {}
