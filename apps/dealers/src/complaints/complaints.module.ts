import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { ComplaintsController } from './complaints.controller';
import { PenaltyInputsService } from './penalty-inputs.service';

@Module({
  imports: [RegistryModule],
  controllers: [ComplaintsController],
  providers: [PenaltyInputsService],
  exports: [PenaltyInputsService],
})
export class ComplaintsModule {}
