import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { AgreementsController } from './agreements.controller';
import { AgreementsService } from './agreements.service';

@Module({ imports: [RegistryModule], controllers: [AgreementsController], providers: [AgreementsService] })
export class AgreementsModule {}
