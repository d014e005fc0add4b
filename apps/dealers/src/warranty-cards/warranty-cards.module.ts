import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { SubmitWarrantyCardsUseCase } from './submit-warranty-cards.use-case';
import { WarrantyCardsController } from './warranty-cards.controller';

@Module({ imports: [RegistryModule], controllers: [WarrantyCardsController], providers: [SubmitWarrantyCardsUseCase] })
export class WarrantyCardsModule {}
