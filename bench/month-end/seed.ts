import { issueToken, Role } from '@app/platform';
import { JWT_SECRET, url } from './stack';

/** Dealers registered through the public API, as finance would, with a per-card agreement. */

const token = (role: Role, sub: string, dealer?: string): string =>
  issueToken(JWT_SECRET, { sub, role, ...(dealer ? { dealer } : {}) }, '12h');
export const FINANCE = token('finance', 'finance-bench');
export const dealerToken = (code: string): string => token('dealer', `dealer-${code}`, code);
export const dealerCode = (i: number): string => `B${String(i).padStart(4, '0')}`;
export const MONTH = '2026-11';

async function send(method: string, target: string, body: unknown, ok: number[]): Promise<unknown> {
  const res = await fetch(target, {
    method,
    headers: { authorization: `Bearer ${FINANCE}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!ok.includes(res.status)) throw new Error(`${method} ${target}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Registers `count` dealers with a PER_CARD agreement and waits until settlement knows the last one. */
export async function seedDealers(count: number): Promise<string[]> {
  const dealers = url('dealers');
  await send('PUT', `${dealers}/v1/product-models/EB-100`, { name: '电动自行车 EB-100' }, [200, 201]);
  const codes = Array.from({ length: count }, (_, i) => dealerCode(i + 1));
  for (const code of codes) {
    await send('POST', `${dealers}/v1/dealers`, { code, name: `经销商 ${code}`, region: '华东' }, [201, 409]);
    await send(
      'POST',
      `${dealers}/v1/dealers/${code}/agreements`,
      { effectiveFrom: '2026-01-01', allowanceBasis: 'PER_CARD', unitRate: '15.00', settlementMode: 'FUND_CARRY_OVER' },
      [201, 409],
    );
  }
  await untilSettlementKnows(codes[codes.length - 1]);
  return codes;
}

async function untilSettlementKnows(code: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${url('settlement')}/v1/dealers/${code}/balance`, {
      headers: { authorization: `Bearer ${dealerToken(code)}` },
    });
    await res.arrayBuffer();
    if (res.status === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`settlement did not learn dealer ${code} within 60 s`);
}

/** `n` valid cards whose serials and phones come from `seq` (unique across a run). */
export function cards(seq: number, n: number, outlet: string): Array<Record<string, string>> {
  return Array.from({ length: n }, (_, i) => {
    const k = seq * n + i;
    return {
      serial: `LT${String(k).padStart(9, '0')}`,
      model: 'EB-100',
      saleDate: `${MONTH}-10`,
      outlet,
      consumerName: '张三',
      phone: `139${String(k).padStart(8, '0')}`,
      address: '上海市浦东新区',
    };
  });
}
