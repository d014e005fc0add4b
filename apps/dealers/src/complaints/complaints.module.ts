import { Module } from '@nestjs/common';
import { AgreementsModule } from '../agreements/agreements.module';
import { RegistryModule } from '../registry/registry.module';
import { ComplaintsController } from './complaints.controller';
import { PenaltyInputsRepository } from './penalty-inputs.repository';
import { PenaltyInputsService } from './penalty-inputs.service';

@Module({
  imports: [RegistryModule, AgreementsModule],
  controllers: [ComplaintsController],
  providers: [PenaltyInputsService, PenaltyInputsRepository],
  exports: [PenaltyInputsService],
})
export class ComplaintsModule {}
