import type { IHeaders } from 'kafkajs';

/** What a dead-letter message carries (as its JSON value). */
export interface DeadLetterRecord {
  reason: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  /** The original message value as UTF-8 text (null for a tombstone). */
  value: string | null;
}

export const DLQ_REASON_HEADER = 'dlq-reason';

export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    const list = Array.isArray(v) ? v : [v];
    out[name] = list.map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x))).join(',');
  }
  return out;
}

export function buildDeadLetter(
  reason: string,
  source: {
    topic: string;
    partition: number;
    offset: string;
    key: Buffer | string | null;
    headers?: IHeaders;
    value: Buffer | string | null;
  },
): { key: string | null; value: string; headers: Record<string, string>; record: DeadLetterRecord } {
  const key = source.key === null ? null : Buffer.isBuffer(source.key) ? source.key.toString('utf8') : source.key;
  const record: DeadLetterRecord = {
    reason,
    topic: source.topic,
    partition: source.partition,
    offset: source.offset,
    key,
    headers: headersToStrings(source.headers),
    value: source.value === null ? null : Buffer.isBuffer(source.value) ? source.value.toString('utf8') : source.value,
  };
  // Header values must stay short and single-line.
  const headerReason = reason.replace(/[\r\n]+/g, ' ').slice(0, 1000);
  return {
    key,
    value: JSON.stringify(record),
    headers: { ...record.headers, [DLQ_REASON_HEADER]: headerReason },
    record,
  };
}
