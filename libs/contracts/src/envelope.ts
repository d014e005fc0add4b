import {
  IsDefined,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Min,
  ValidateIf,
} from 'class-validator';

/**
 * What travels on every topic. `payload` is validated separately against the payload
 * class registered for (`type`, `version`).
 */
export class EventEnvelope<P = unknown> {
  @IsUUID()
  eventId!: string;

  @IsString()
  @IsNotEmpty()
  type!: string;

  @IsInt()
  @Min(1)
  version!: number;

  @IsISO8601({ strict: true })
  occurredAt!: string;

  /** Name of the producing service. */
  @IsString()
  @IsNotEmpty()
  producer!: string;

  /** Every event concerns a dealer; also the Kafka message key. */
  @IsString()
  @IsNotEmpty()
  dealerCode!: string;

  @IsString()
  @IsNotEmpty()
  correlationId!: string;

  /** eventId of the event that caused this one; null for events caused by a request. */
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @IsNotEmpty()
  causationId?: string | null;

  @IsDefined()
  @IsObject()
  payload!: P;
}

/** Fields of an envelope as they are serialised (JSON). */
export interface EventEnvelopeJson<P = unknown> {
  eventId: string;
  type: string;
  version: number;
  occurredAt: string;
  producer: string;
  dealerCode: string;
  correlationId: string;
  causationId: string | null;
  payload: P;
}
