import { reasonIn } from '@app/platform';
import { CallbackAuditSummaryView, CallbackAuditView, SampledCardView } from './callback-audit.dto';
import { AuditRow, SampleRow } from './callback-audits.repository';
import { signalView } from './risk-signals';

export const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

export function toSummary(a: AuditRow): CallbackAuditSummaryView {
  return {
    id: a.id,
    dealerCode: a.dealer_code,
    reportMonth: a.report_month,
    percent: a.percent,
    seed: a.seed,
    seedGenerated: a.seed_generated,
    populationCount: a.population_count,
    populationHash: a.population_hash,
    sampleSize: a.sample_size,
    weighting: a.weighting,
    status: a.status,
    drawnBy: a.drawn_by,
    drawnAt: iso(a.drawn_at) as string,
    closedBy: a.closed_by,
    closedAt: iso(a.closed_at),
    results: { verified: a.verified, falsified: a.falsified, incomplete: a.incomplete, pending: a.pending },
  };
}

export function toSampleView(s: SampleRow): SampledCardView {
  return {
    position: s.position,
    serial: s.serial,
    model: s.model,
    result: s.result,
    note: s.note,
    recordedBy: s.recorded_by,
    recordedAt: iso(s.recorded_at),
    score: s.score,
    signals: (s.signals ?? []).map(signalView),
  };
}

/** The audit with the reasons of its sampled cards' risk signals in `language`. */
export function auditInLanguage(view: CallbackAuditView, language: string): CallbackAuditView {
  return {
    ...view,
    sample: view.sample.map((s) => ({ ...s, signals: s.signals.map((signal) => reasonIn(language, signal)) })),
  };
}
