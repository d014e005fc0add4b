import { ApiProperty } from '@nestjs/swagger';

/** The event feed's answers, as the OpenAPI document shows them. */

const seq = (description: string) => ({ type: 'integer', minimum: 0, description }) as const;

export class FeedItemView {
  @ApiProperty({ example: 'dealers.events.v1' }) topic!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) partition!: number;
  @ApiProperty(seq('Sequence number within the partition')) seq!: number;
  @ApiProperty({ example: 'D001', description: 'The message key' }) key!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'WarrantyCardsAccepted' }) type!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) headers!: Record<string, string>;
  @ApiProperty({ description: 'The message value exactly as sent (JSON text)' }) value!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) publishedAt!: string | null;
}

export class FeedPageView {
  @ApiProperty({ example: 'dealers.events.v1' }) topic!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) partition!: number;
  @ApiProperty({ type: [FeedItemView] }) items!: FeedItemView[];
  @ApiProperty({ description: 'More messages of the requested range follow the last item' }) more!: boolean;
  @ApiProperty({ ...seq('Lowest sequence still kept; null when none is kept'), nullable: true })
  retainedFromSeq!: number | null;
  @ApiProperty(seq('Highest sequence given so far in the partition; 0 when none')) lastSeq!: number;
}

export class FeedHeadView {
  @ApiProperty({ type: 'integer', minimum: 0 }) partition!: number;
  @ApiProperty(seq('Highest sequence given in the partition')) lastSeq!: number;
  @ApiProperty(seq('Highest sequence published at least settledAfterMs ago')) settledSeq!: number;
}

export class ReplayCountsView {
  @ApiProperty(seq('Applied now')) applied!: number;
  @ApiProperty(seq('Already applied before')) duplicate!: number;
  @ApiProperty(seq('Not for this service')) skipped!: number;
  @ApiProperty(seq('Refused and dead-lettered')) 'dead-lettered'!: number;
}

export class ReplayResultView {
  @ApiProperty({ example: 'dealers.events.v1' }) topic!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) partition!: number;
  @ApiProperty(seq('First sequence replayed')) fromSeq!: number;
  @ApiProperty({ ...seq('Where a further call continues; null when the range is done'), nullable: true })
  nextSeq!: number | null;
  @ApiProperty({ type: ReplayCountsView }) counts!: ReplayCountsView;
  @ApiProperty(seq('Gaps marked as acknowledged by this call')) acknowledgedGaps!: number;
}

export class EventGapView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'dealers.events.v1' }) topic!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) partition!: number;
  @ApiProperty(seq('First missing sequence')) fromSeq!: number;
  @ApiProperty(seq('Last missing sequence')) toSeq!: number;
  @ApiProperty({ enum: ['OPEN', 'HEALED', 'LOST', 'ACKNOWLEDGED'] }) status!: string;
  @ApiProperty(seq('Events filled from the feed')) filled!: number;
  @ApiProperty(seq('Events past the producer retention')) lost!: number;
  @ApiProperty({ format: 'date-time' }) detectedAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) closedAt!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) detail!: string | null;
}

export const TOPIC_PARAM = {
  name: 'topic',
  description: 'A topic this service publishes',
  example: 'dealers.events.v1',
};
