export { AuditLogEntry } from './audit-log-entry.entity';
export { PlatformAuditLog1735689600000 } from './audit-log.migration';
export { AuditLogService, SYSTEM_ACTOR } from './audit-log.service';
export type { AuditRecordInput } from './audit-log.service';
export { AuditLogController } from './audit-log.controller';
export type { AuditLogPage } from './audit-log.controller';
export { AuditLogQuery, AUDIT_LOG_MAX_LIMIT } from './audit-log.query';
export { PlatformAuditChain1767900000000 } from './audit-chain.migration';
export {
  auditChainText,
  auditEntryHash,
  CHAIN_BREAKS,
  checkChainedEntry,
  GENESIS_HASH,
  GENESIS_POSITION,
} from './audit-chain';
export type { AuditChainContent, ChainBreak, ChainedEntry, ChainMismatch, ChainPosition } from './audit-chain';
export { AuditChainRepository } from './audit-chain.repository';
export type { PublishedDay } from './audit-chain.repository';
export { AuditChainService } from './audit-chain.service';
export type { ChainVerification } from './audit-chain.service';
export { AuditChainController } from './audit-chain.controller';
export { AuditChainVerificationView, AuditChainMismatchView } from './audit-chain.view';
