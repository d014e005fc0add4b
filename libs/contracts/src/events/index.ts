import { eventRegistry } from '../event-definition';
import { auditChainEvents } from './audit-chain.events';
import { dealersEvents } from './dealers.events';
import { requisitionsEvents } from './requisitions.events';
import { returnsEvents } from './returns.events';
import { settlementEvents } from './settlement.events';

export * from './common';
export * from './nested';
export * from './agreement-terms';
export * from './dealers.events';
export * from './requisitions.events';
export * from './returns.events';
export * from './settlement.events';
export * from './audit-chain.events';

/** Every event type of the system, known to every process that imports the contracts. */
export const allEvents = [
  ...dealersEvents,
  ...requisitionsEvents,
  ...returnsEvents,
  ...settlementEvents,
  ...auditChainEvents,
];
eventRegistry.register(...allEvents);
