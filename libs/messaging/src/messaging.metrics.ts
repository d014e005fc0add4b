import { Injectable, Optional } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { MetricsRegistry } from '@app/platform';

/** Prometheus series of the consumer: outcomes, gaps and offset resets. */
@Injectable()
export class MessagingMetrics {
  readonly events: Counter<'topic' | 'outcome'>;
  readonly gaps: Counter<'topic' | 'partition'>;
  readonly gapEvents: Counter<'topic' | 'result'>;
  readonly offsetResets: Counter<'topic' | 'partition'>;
  readonly openGaps: Gauge;
  readonly lostGaps: Gauge;

  constructor(@Optional() registry?: MetricsRegistry) {
    const registers: Registry[] = [registry ?? new Registry()];
    this.events = new Counter({
      name: 'messaging_events_total',
      help: 'Consumed events by outcome (applied, duplicate, skipped, dead-lettered)',
      labelNames: ['topic', 'outcome'],
      registers,
    });
    this.gaps = new Counter({
      name: 'messaging_gaps_total',
      help: 'Gaps found in a partition sequence (lost by the broker or skipped by an offset reset)',
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.gapEvents = new Counter({
      name: 'messaging_gap_events_total',
      help: 'Events of gaps: filled from the producer, or lost (no longer kept by it)',
      labelNames: ['topic', 'result'],
      registers,
    });
    this.offsetResets = new Counter({
      name: 'messaging_offset_resets_total',
      help: 'Times the consumer jumped to the default offset because the broker no longer held the committed one',
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.openGaps = new Gauge({ name: 'messaging_open_gaps', help: 'Gaps being filled now', registers });
    this.lostGaps = new Gauge({
      name: 'messaging_lost_gaps',
      help: 'Gaps with events the producer no longer keeps, not yet acknowledged by an operator',
      registers,
    });
  }
}
