import { Module } from '@nestjs/common';
import { StatementsModule } from '../statements/statements.module';
import { ExportsController } from './exports.controller';

/** Statements as PDF and XLSX (R-SET-9 explained on paper). */
@Module({ imports: [StatementsModule], controllers: [ExportsController] })
export class ExportsModule {}
