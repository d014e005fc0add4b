import { KnownAgreement, KnownDealer } from './dealer-directory.entities';
import { DealerDirectory1767300000000 } from './dealer-directory.migration';
import { RegistryOccurredAt1768000000100 } from './registry-occurred-at.migration';

export * from './dealer-directory.entities';
export * from './dealer-directory.module';
export * from './dealer-directory.service';
export * from './terms-in-force';
export * from './no-agreement-terms.problem';

export const dealerDirectoryEntities = [KnownDealer, KnownAgreement];
export const dealerDirectoryMigrations = [DealerDirectory1767300000000, RegistryOccurredAt1768000000100];
export * from './agreement-terms';
export * from './agreement-terms.dto';
