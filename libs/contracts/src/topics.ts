/**
 * The topics, named `<producing service>.<stream>.<version>`. One stream per producing service,
 * except dealers: its registry (dealers and agreement versions, which every other service keeps
 * a copy of) travels apart from its high-volume facts (card batches, reports, audits), so a
 * consumer that only needs the registry never fetches those.
 */
export const Topics = {
  dealers: 'dealers.events.v1',
  dealerRegistry: 'dealers.registry.v1',
  requisitions: 'requisitions.events.v1',
  returns: 'returns.events.v1',
  settlement: 'settlement.events.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

/** Dead-letter topic of a consumer group: `<group>.dlq.v1`. */
export const deadLetterTopic = (group: string): string => `${group}.dlq.v1`;

/** The service that produces a topic: `dealers.events.v1` and `dealers.registry.v1` → `dealers`. */
export const producerOfTopic = (topic: string): string => topic.slice(0, Math.max(0, topic.indexOf('.'))) || topic;
