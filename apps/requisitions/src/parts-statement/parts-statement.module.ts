import { Module } from '@nestjs/common';
import { RequisitionsModule } from '../requisitions/requisitions.module';
import { PartsStatementController } from './parts-statement.controller';
import { PartsStatementService } from './parts-statement.service';

@Module({ imports: [RequisitionsModule], controllers: [PartsStatementController], providers: [PartsStatementService] })
export class PartsStatementModule {}
