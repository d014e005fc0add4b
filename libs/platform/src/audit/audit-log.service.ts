import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { CLS_CAUSATION_ID, CLS_CORRELATION_ID, CLS_PRINCIPAL, CLS_REQUEST_ID } from '../context/context.constants';
import { AuditLogEntry } from './audit-log-entry.entity';

export interface AuditRecordInput {
  /** Verb, e.g. 'warranty-card.submitted'. */
  action: string;
  entityType: string;
  entityId: string;
  dealerCode?: string | null;
  details?: Record<string, unknown>;
}

export const SYSTEM_ACTOR = 'system';

/**
 * Writes audit rows inside the caller's transaction (pass the EntityManager of the unit of work).
 * Actor, role, request and correlation ids come from the request context; without a principal
 * (Kafka consumers, jobs) the actor is 'system' and requestId falls back to the causation id.
 */
@Injectable()
export class AuditLogService {
  constructor(private readonly cls: ClsService) {}

  async record(em: EntityManager, entry: AuditRecordInput): Promise<AuditLogEntry> {
    const active = this.cls.isActive();
    const principal = active ? this.cls.get<Principal | undefined>(CLS_PRINCIPAL) : undefined;
    const correlationId = active ? this.cls.get<string | undefined>(CLS_CORRELATION_ID) : undefined;
    const requestId = active
      ? ((principal ? this.cls.get<string>(CLS_REQUEST_ID) : undefined) ??
        this.cls.get<string | undefined>(CLS_CAUSATION_ID) ??
        this.cls.get<string | undefined>(CLS_REQUEST_ID))
      : undefined;
    const row = em.create(AuditLogEntry, {
      actor: principal?.sub ?? SYSTEM_ACTOR,
      role: principal?.role ?? SYSTEM_ACTOR,
      dealerCode: entry.dealerCode ?? null,
      requestId: requestId ?? null,
      correlationId: correlationId ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      details: entry.details ?? {},
    });
    return em.save(AuditLogEntry, row);
  }
}
