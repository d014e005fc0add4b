import { ApiProperty } from '@nestjs/swagger';

/** One audit entry as GET /v1/audit-log answers it. */
export class AuditLogEntryView {
  @ApiProperty({ pattern: '^\\d{1,18}$', example: '1042', description: 'Sequence number (a bigint as a string)' })
  id!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ example: 'finance-alice', description: 'The token subject (sub)' }) actor!: string;
  @ApiProperty({ example: 'finance' }) role!: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'D001' }) dealerCode!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) requestId!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) correlationId!: string | null;
  @ApiProperty({ example: 'statement.approved' }) action!: string;
  @ApiProperty({ example: 'statement' }) entityType!: string;
  @ApiProperty({ example: '9b2f4c1a-6d3e-4f5a-8b7c-1d2e3f4a5b6c' }) entityId!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What changed' })
  details!: Record<string, unknown>;
}
