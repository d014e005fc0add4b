import 'reflect-metadata';
import {
  IsBooleanString,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  MinLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { Type } from 'class-transformer';
import { LOG_LEVELS } from './service-config';

const POSTGRES_URL = /^postgres(ql)?:\/\/[^\s]+$/;
const PEER_LIST = /^\s*[A-Za-z0-9_-]+=\S+?\s*(,\s*[A-Za-z0-9_-]+=\S+?\s*)*$/;
const SERVICE_URL = '[A-Za-z0-9_-]+=https?://[^\\s,]+';
const SERVICE_URL_LIST = new RegExp(`^\\s*${SERVICE_URL}\\s*(,\\s*${SERVICE_URL}\\s*)*$`);
// An origin as a browser sends it: scheme, host and optional port, no path and no trailing slash.
const ORIGIN = 'https?://[A-Za-z0-9.-]+(:\\d{1,5})?';
const ORIGIN_LIST = new RegExp(`^(none|\\s*${ORIGIN}\\s*(,\\s*${ORIGIN}\\s*)*)$`);

/** The raw environment of a service, validated with class-validator (see docs/DESIGN-NOTES.md). */
export class ServiceEnv {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be between 1 and 65535' })
  @Max(65535, { message: 'must be between 1 and 65535' })
  PORT?: number;

  @IsNotEmpty({ message: 'is required (postgres://user@host:port/db)' })
  @Matches(POSTGRES_URL, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL!: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be between 1 and 500' })
  @Max(500, { message: 'must be between 1 and 500' })
  DATABASE_POOL_SIZE?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  @Min(100, { message: 'must be between 100 and 600000 (milliseconds)' })
  @Max(600_000, { message: 'must be between 100 and 600000 (milliseconds)' })
  DATABASE_CONNECT_TIMEOUT_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  @Min(100, { message: 'must be between 100 and 3600000 (milliseconds)' })
  @Max(3_600_000, { message: 'must be between 100 and 3600000 (milliseconds)' })
  DATABASE_STATEMENT_TIMEOUT_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer (hours)' })
  @Min(1, { message: 'must be between 1 and 8760 (hours)' })
  @Max(8760, { message: 'must be between 1 and 8760 (hours)' })
  IDEMPOTENCY_RETENTION_HOURS?: number;

  @IsNotEmpty({ message: 'is required (comma-separated host:port list)' })
  @Matches(new RegExp(`^\\s*[^\\s,:]+:\\d{1,5}\\s*(,\\s*[^\\s,:]+:\\d{1,5}\\s*)*$`), {
    message: 'must be a comma-separated list of host:port',
  })
  KAFKA_BROKERS!: string;

  @IsOptional()
  @IsBooleanString({ message: 'must be true or false' })
  KAFKA_IDEMPOTENT_PRODUCER?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  @Min(10, { message: 'must be between 10 and 10000 (milliseconds)' })
  @Max(10000, { message: 'must be between 10 and 10000 (milliseconds)' })
  KAFKA_FETCH_MAX_WAIT_MS?: number;

  @ValidateIf((env: ServiceEnv) => env.AUTH_JWT_SECRET !== undefined || env.AUTH_JWKS_URL === undefined)
  @IsString({ message: 'is required unless AUTH_JWKS_URL is set (exactly one of the two)' })
  @MinLength(32, { message: 'must be at least 32 characters' })
  AUTH_JWT_SECRET?: string;

  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'must be an http(s) URL' },
  )
  AUTH_JWKS_URL?: string;

  @IsOptional()
  @IsString()
  AUTH_JWT_ISSUER?: string;

  @IsOptional()
  @IsString()
  AUTH_JWT_AUDIENCE?: string;

  @IsOptional()
  @IsIn(LOG_LEVELS as unknown as string[], { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: string;

  @IsOptional()
  @Matches(PEER_LIST, { message: 'must be a comma-separated list of name=url' })
  DOCS_PEER_URLS?: string;

  @IsOptional()
  @Matches(ORIGIN_LIST, {
    message: 'must be none or a comma-separated list of origins http(s)://host[:port] (no path, no wildcard)',
  })
  CORS_ALLOWED_ORIGINS?: string;

  @IsOptional()
  @Matches(SERVICE_URL_LIST, { message: 'must be a comma-separated list of service=http(s)://host:port' })
  EVENT_FEED_URLS?: string;

  @IsOptional()
  @IsString()
  @MinLength(20, { message: 'must be a bearer token (at least 20 characters)' })
  EVENT_FEED_TOKEN?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of days' })
  @Min(1, { message: 'must be between 1 and 3650' })
  @Max(3650, { message: 'must be between 1 and 3650' })
  OUTBOX_RETENTION_DAYS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(1000, { message: 'must be between 1000 and 3600000' })
  @Max(3_600_000, { message: 'must be between 1000 and 3600000' })
  EVENT_GAP_CHECK_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of milliseconds' })
  @Min(0, { message: 'must be between 0 and 86400000' })
  @Max(86_400_000, { message: 'must be between 0 and 86400000' })
  AUDIT_CHAIN_HEAD_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer (dealers per batch)' })
  @Min(1, { message: 'must be between 1 and 100000' })
  @Max(100_000, { message: 'must be between 1 and 100000' })
  SETTLEMENT_RUN_BATCH_SIZE?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer (batches in flight)' })
  @Min(1, { message: 'must be between 1 and 64' })
  @Max(64, { message: 'must be between 1 and 64' })
  SETTLEMENT_RUN_CONCURRENCY?: number;

  @IsOptional()
  @IsIn(['0', '1'], { message: 'must be 0 or 1' })
  SETTLEMENT_RUN_PROFILE?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer number of milliseconds (0: off)' })
  @Min(0, { message: 'must be between 0 and 86400000' })
  @Max(86_400_000, { message: 'must be between 0 and 86400000' })
  SETTLEMENT_TALLY_CHECK_MS?: number;

  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'must be at most 200 characters' })
  MANUFACTURER_NAME?: string;

  @IsOptional()
  @IsString()
  @MaxLength(300, { message: 'must be at most 300 characters' })
  MANUFACTURER_ADDRESS?: string;
}
