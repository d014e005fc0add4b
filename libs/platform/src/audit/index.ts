export { AuditLogEntry } from './audit-log-entry.entity';
export { PlatformAuditLog1735689600000 } from './audit-log.migration';
export { AuditLogService, SYSTEM_ACTOR } from './audit-log.service';
export type { AuditRecordInput } from './audit-log.service';
export { AuditLogController } from './audit-log.controller';
export type { AuditLogPage } from './audit-log.controller';
export { AuditLogQuery, AUDIT_LOG_MAX_LIMIT } from './audit-log.query';
