import { Module } from '@nestjs/common';
import { ComplaintsModule } from '../complaints/complaints.module';
import { ViolationsController } from './violations.controller';

@Module({ imports: [ComplaintsModule], controllers: [ViolationsController] })
export class ViolationsModule {}
