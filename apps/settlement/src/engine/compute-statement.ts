import { addMonths, dec, formatMoney, formatRate, monthOfDate, quarterOfMonth, sumMoney } from '@app/kernel';
import { cardRate, cmp, perCardAccrualLines } from './accrual';
import type {
  ExcludedCardInput,
  LateFact,
  MonthInput,
  StatementInput,
  StatementOutcome,
  StatementResult,
  StatementTotals,
} from './statement-input';
import { STATEMENT_LINE_KINDS, StatementLine, StatementLineKind } from './statement-line';

/**
 * The settlement engine (DOMAIN §7): a pure function from terms per month, facts and the
 * opening balance to explained statement lines, totals, closing and outcome.
 * No I/O, no clock; the same input (in any order of facts) gives byte-identical output.
 */
export function computeStatement(input: StatementInput): StatementResult {
  const lines: Keyed[] = [];
  const months = [...input.months].sort((a, b) => cmp(a.month, b.month));
  const monthByKey = new Map(months.map((m) => [m.month, m]));
  const termsOf = (month: string) => monthByKey.get(month)?.terms;

  // R-SET-3 / R-REP-4 / R-AUD-2: allowance accrual per month.
  for (const m of months) lines.push(...monthAccrual(input, m));

  // R-AUD-3: falsified cards trigger the fake-card policy of their month's terms.
  const falsified = sortedCards(input.excludedCards.filter((c) => c.result === 'FALSIFIED'));
  const cancelCauses: Array<Record<string, unknown>> = [];
  const penaltyGroups = new Map<
    string,
    { month: string; rate: string; multiple: number; cards: ExcludedCardInput[] }
  >();
  for (const card of falsified) {
    const terms = termsOf(card.month);
    if (!terms) continue;
    if (terms.fakeCardPolicy === 'CANCEL_QUARTER') {
      cancelCauses.push({
        ruleId: 'R-AUD-3',
        policy: 'CANCEL_QUARTER',
        serial: card.serial,
        month: card.month,
        auditId: card.auditId,
      });
      continue;
    }
    const rate = cardRate(terms, card.model);
    const key = `${card.month}|${formatRate(rate)}|${terms.fakeCardMultiple}`;
    const g = penaltyGroups.get(key) ?? { month: card.month, rate, multiple: terms.fakeCardMultiple, cards: [] };
    g.cards.push(card);
    penaltyGroups.set(key, g);
  }
  for (const [key, g] of [...penaltyGroups].sort((a, b) => cmp(a[0], b[0]))) {
    const unit = dec(g.rate).times(g.multiple);
    lines.push(
      keyed(key, {
        ruleId: 'R-AUD-3',
        kind: 'FAKE_CARD_PENALTY',
        period: g.month,
        description: `${g.cards.length} falsified cards × ${g.multiple} × ${formatMoney(g.rate)} (PENALTY_MULTIPLE)`,
        quantity: g.cards.length,
        rate: formatRate(unit),
        base: null,
        percent: null,
        amount: formatMoney(unit.times(g.cards.length).negated()),
        affectsBalance: true,
        sources: {
          cards: g.cards.map((c) => ({
            serial: c.serial,
            model: c.model,
            auditId: c.auditId,
            recordedOn: c.recordedOn,
          })),
          multiple: g.multiple,
          cardRate: formatMoney(g.rate),
        },
      }),
    );
  }

  // R-SET-6: a breach recorded for this quarter cancels its accrual.
  for (const b of [...input.breaches]
    .filter((x) => x.quarter === input.quarter)
    .sort((x, y) => cmp(x.reference, y.reference))) {
    cancelCauses.unshift({ ruleId: 'R-SET-6', breachId: b.id, reference: b.reference });
  }
  if (cancelCauses.length > 0) {
    const accrued = sumMoney(lines.filter((l) => l.line.kind === 'ALLOWANCE_ACCRUAL').map((l) => l.line.amount));
    const byBreach = cancelCauses.some((c) => c.ruleId === 'R-SET-6');
    lines.push(
      keyed('cancel', {
        ruleId: byBreach ? 'R-SET-6' : 'R-SET-5',
        kind: 'ACCRUAL_CANCELLED',
        period: input.quarter,
        description: byBreach
          ? `quarter's allowance accrual cancelled: breach of agreement ${cancelCauses
              .filter((c) => c.ruleId === 'R-SET-6')
              .map((c) => c.reference)
              .join(', ')}`
          : `quarter's allowance accrual cancelled: falsified card ${cancelCauses.map((c) => c.serial).join(', ')} under CANCEL_QUARTER`,
        quantity: null,
        rate: null,
        base: formatMoney(accrued),
        percent: null,
        amount: formatMoney(accrued.negated()),
        affectsBalance: true,
        sources: { causes: cancelCauses },
      }),
    );
  }

  // R-PRT-2: approved requisition lines, per their charge target.
  for (const r of [...input.requisitionLines].sort((a, b) =>
    cmp(`${a.approvedOn}|${a.requisitionId}|${a.lineId}`, `${b.approvedOn}|${b.requisitionId}|${b.lineId}`),
  )) {
    lines.push(keyed(`${r.approvedOn}|${r.requisitionId}|${r.lineId}`, partsLine(r)));
  }
  // R-PRT-3: urgent freight difference, always invoiced.
  for (const u of [...input.urgentFreight].sort((a, b) =>
    cmp(`${a.approvedOn}|${a.requisitionId}`, `${b.approvedOn}|${b.requisitionId}`),
  )) {
    lines.push(keyed(`${u.approvedOn}|${u.requisitionId}`, urgentLine(u)));
  }
  // R-PRT-4: unreturned old parts at cost, invoiced.
  for (const o of [...input.oldPartsInvoiced].sort((a, b) =>
    cmp(`${a.invoicedOn}|${a.requisitionId}|${a.lineId}`, `${b.invoicedOn}|${b.requisitionId}|${b.lineId}`),
  )) {
    lines.push(keyed(`${o.invoicedOn}|${o.requisitionId}|${o.lineId}`, oldPartsLine(o)));
  }
  // R-RET-4: one line per closed return: the charges paid from the allowance (manufacturer-paid at 0).
  const byReturn = new Map<string, StatementInput['returnCharges']>();
  for (const c of input.returnCharges) byReturn.set(c.returnId, [...(byReturn.get(c.returnId) ?? []), c]);
  for (const [returnId, charges] of byReturn) {
    lines.push(keyed(`${charges[0].closedOn}|${returnId}`, returnLine(returnId, charges)));
  }
  // Complaints and violations (DOMAIN §6), each in the month of its date (R-SET-10).
  for (const c of input.complaints)
    lines.push(keyed(`${c.date}|${c.reference}|${c.id}`, penaltyLine('COMPLAINT_PENALTY', 'complaint', c)));
  for (const v of input.violations)
    lines.push(keyed(`${v.date}|${v.reference}|${v.id}`, penaltyLine('VIOLATION_PENALTY', 'violation', v)));

  // Q4: missed-report streak (R-REP-4) and the excellence award (R-AWD-1) on the year's allowance.
  if (input.year)
    lines.push(
      ...yearEndLines(
        input,
        months,
        lines.map((l) => l.line),
      ),
    );

  // R-SET-7: late facts of approved quarters.
  lines.push(...priorPeriodLines(input.lateFacts));

  // R-DSP-2: accepted disputes.
  for (const d of input.disputeResolutions) {
    lines.push(
      keyed(`${d.statementId}|${d.disputeId}`, {
        ruleId: 'R-DSP-2',
        kind: 'DISPUTE_RESOLUTION',
        period: d.quarter ?? input.quarter,
        description: `dispute ${d.disputeId} accepted${d.quarter ? ` on the ${d.quarter} statement` : ''}`,
        quantity: null,
        rate: null,
        base: null,
        percent: null,
        amount: formatMoney(d.amount),
        affectsBalance: true,
        sources: { disputeId: d.disputeId, statementId: d.statementId },
      }),
    );
  }

  const ordered = orderLines(lines);
  const totals = totalsOf(ordered);
  const closing = formatMoney(dec(input.openingBalance).plus(totals.net));
  return {
    dealerCode: input.dealerCode,
    quarter: input.quarter,
    settlementMode: input.settlementMode,
    openingBalance: formatMoney(input.openingBalance),
    lines: ordered,
    totals,
    closing,
    outcome: outcomeOf(input.settlementMode, closing),
  };
}

/** R-SET-4: what happens to the closing balance. */
export function outcomeOf(mode: StatementInput['settlementMode'], closing: string): StatementOutcome {
  const c = dec(closing);
  const zero = '0.00';
  if (mode === 'FUND_CARRY_OVER') {
    return c.isNegative() && !c.isZero()
      ? { carriedForward: zero, billedToDealer: formatMoney(c.negated()), payableToDealer: zero, nextOpening: zero }
      : { carriedForward: formatMoney(c), billedToDealer: zero, payableToDealer: zero, nextOpening: formatMoney(c) };
  }
  return {
    carriedForward: zero,
    billedToDealer: c.isNegative() && !c.isZero() ? formatMoney(c.negated()) : zero,
    payableToDealer: c.isPositive() && !c.isZero() ? formatMoney(c) : zero,
    nextOpening: zero,
  };
}

// ---------------------------------------------------------------------------------------

interface Keyed {
  key: string;
  line: StatementLine;
}

function keyed(key: string, line: StatementLine): Keyed {
  return { key, line };
}

function sortedCards(cards: ExcludedCardInput[]): ExcludedCardInput[] {
  return [...cards].sort((a, b) => cmp(`${a.month}|${a.serial}|${a.auditId}`, `${b.month}|${b.serial}|${b.auditId}`));
}

function monthAccrual(input: StatementInput, m: MonthInput): Keyed[] {
  const out: Keyed[] = [];
  const terms = m.terms;
  const cards = input.cardCounts.filter((c) => c.month === m.month && c.count > 0);
  const excluded = sortedCards(input.excludedCards.filter((c) => c.month === m.month));
  const sources = { agreementVersion: m.agreementVersion ?? null };

  if (excluded.length > 0) {
    const falsified = excluded.filter((c) => c.result === 'FALSIFIED').length;
    out.push(
      keyed('2', {
        ruleId: 'R-AUD-2',
        kind: 'CARDS_EXCLUDED',
        period: m.month,
        description: `${excluded.length} cards found ${falsified ? `FALSIFIED (${falsified})` : ''}${falsified && falsified < excluded.length ? ' or ' : ''}${excluded.length - falsified ? `INCOMPLETE (${excluded.length - falsified})` : ''} by callback audit: not counted`,
        quantity: excluded.length,
        rate: null,
        base: null,
        percent: null,
        amount: '0.00',
        affectsBalance: false,
        sources: {
          cards: excluded.map((c) => ({ serial: c.serial, model: c.model, result: c.result, auditId: c.auditId })),
        },
      }),
    );
  }

  if (!terms || terms.allowanceBasis === 'PER_CARD') {
    const counted = cards.map((c) => ({ model: c.model, count: c.count }));
    const total = counted.reduce((n, c) => n + c.count, 0);
    if (terms && !m.reportFirstSubmittedAt && !input.provisional) {
      // R-REP-4: never submitted by the run: no PER_CARD allowance for the month.
      out.push(
        keyed('1', {
          ruleId: 'R-REP-4',
          kind: 'ALLOWANCE_NOT_ACCRUED',
          period: m.month,
          description: `monthly report never submitted: ${total} cards are not paid`,
          quantity: total,
          rate: null,
          base: null,
          percent: null,
          amount: '0.00',
          affectsBalance: true,
          sources: { ...sources, cardsByModel: [...counted].sort((a, b) => cmp(a.model, b.model)) },
        }),
      );
      return out;
    }
    perCardAccrualLines({ month: m.month, terms, agreementVersion: m.agreementVersion, cards: counted }).forEach(
      (l, i) => out.push(keyed(`0|${String(i).padStart(4, '0')}`, l)),
    );
    return out;
  }

  const isCollections = terms.allowanceBasis === 'COLLECTIONS_PERCENT';
  const facts = isCollections
    ? input.collections
        .filter((c) => monthOfDate(c.valueDate) === m.month)
        .map((c) => ({ id: c.id, reference: c.reference, date: c.valueDate, amount: c.amount }))
    : input.purchases
        .filter((p) => monthOfDate(p.invoiceDate) === m.month)
        .map((p) => ({ id: p.id, reference: p.reference, date: p.invoiceDate, amount: p.amount }));
  if (facts.length === 0) return out;
  facts.sort((a, b) => cmp(`${a.date}|${a.reference}|${a.id}`, `${b.date}|${b.reference}|${b.id}`));
  const base = sumMoney(facts.map((f) => f.amount));
  const percent = terms.percent ?? '0';
  out.push(
    keyed('0', {
      ruleId: 'R-SET-3',
      kind: 'ALLOWANCE_ACCRUAL',
      period: m.month,
      description: `${isCollections ? 'collections' : 'purchases'} ${formatMoney(base)} × ${formatRate(percent)} %`,
      quantity: null,
      rate: null,
      base: formatMoney(base),
      percent: formatRate(percent),
      amount: formatMoney(base.times(percent).dividedBy(100)),
      affectsBalance: true,
      sources: {
        ...sources,
        [isCollections ? 'collections' : 'purchases']: facts.map((f) => ({
          id: f.id,
          reference: f.reference,
          date: f.date,
          amount: formatMoney(f.amount),
        })),
      },
    }),
  );
  return out;
}

function partsLine(r: StatementInput['requisitionLines'][number], prefix = ''): StatementLine {
  const amount = dec(r.listPrice).times(r.quantity);
  const what = `${r.quantity} × ${r.partName ?? r.partNo} ${formatMoney(r.listPrice)}`;
  const sources = {
    requisitionId: r.requisitionId,
    lineId: r.lineId,
    partNo: r.partNo,
    purpose: r.purpose ?? null,
    chargeTo: r.chargeTo,
    approvedOn: r.approvedOn,
  };
  const base = {
    ruleId: 'R-PRT-2',
    period: monthOfDate(r.approvedOn),
    quantity: r.quantity,
    rate: formatRate(r.listPrice),
    base: null,
    percent: null,
    sources,
  };
  if (r.chargeTo === 'ALLOWANCE')
    return {
      ...base,
      kind: 'PARTS_CHARGE',
      description: `${prefix}parts charged to the allowance: ${what}`,
      amount: formatMoney(amount.negated()),
      affectsBalance: true,
    };
  if (r.chargeTo === 'FREE')
    return {
      ...base,
      kind: 'PARTS_FREE',
      description: `${prefix}parts replaced free of charge (1:1): ${what}`,
      amount: '0.00',
      affectsBalance: false,
    };
  return {
    ...base,
    kind: 'PARTS_INVOICED',
    description: `${prefix}parts invoiced to the dealer, not in the balance: ${what}`,
    amount: formatMoney(amount),
    affectsBalance: false,
  };
}

function urgentLine(u: StatementInput['urgentFreight'][number], prefix = ''): StatementLine {
  return {
    ruleId: 'R-PRT-3',
    kind: 'URGENT_FREIGHT_INVOICED',
    period: monthOfDate(u.approvedOn),
    description: `${prefix}urgent freight difference of requisition ${u.requisitionId}, invoiced, not in the balance`,
    quantity: null,
    rate: null,
    base: null,
    percent: null,
    amount: formatMoney(u.amount),
    affectsBalance: false,
    sources: { requisitionId: u.requisitionId, approvedOn: u.approvedOn },
  };
}

function oldPartsLine(o: StatementInput['oldPartsInvoiced'][number], prefix = ''): StatementLine {
  return {
    ruleId: 'R-PRT-4',
    kind: 'OLD_PARTS_INVOICED',
    period: monthOfDate(o.invoicedOn),
    description: `${prefix}old parts not returned${o.partNo ? `: ${o.quantity ?? ''} × ${o.partNo}` : ''} at cost, invoiced, not in the balance`,
    quantity: o.quantity ?? null,
    rate: o.costPrice ? formatRate(o.costPrice) : null,
    base: null,
    percent: null,
    amount: formatMoney(o.amount),
    affectsBalance: false,
    sources: { requisitionId: o.requisitionId, lineId: o.lineId, invoicedOn: o.invoicedOn },
  };
}

function returnLine(returnId: string, charges: StatementInput['returnCharges'], prefix = ''): StatementLine {
  const sorted = [...charges].sort((a, b) =>
    cmp(`${a.kind}|${a.payer}|${a.amount}|${a.detail ?? ''}`, `${b.kind}|${b.payer}|${b.amount}|${b.detail ?? ''}`),
  );
  const dealerPaid = sorted.filter((c) => c.payer === 'DEALER_ALLOWANCE');
  const total = sumMoney(dealerPaid.map((c) => c.amount));
  const first = sorted[0];
  return {
    ruleId: 'R-RET-4',
    kind: 'RETURN_CHARGE',
    period: monthOfDate(first.closedOn),
    description: dealerPaid.length
      ? `${prefix}return ${returnId} (${first.returnClass}): ${dealerPaid.map((c) => `${c.kind} ${formatMoney(c.amount)}`).join(' + ')}`
      : `${prefix}return ${returnId} (${first.returnClass}): paid by the manufacturer`,
    quantity: dealerPaid.length,
    rate: null,
    base: null,
    percent: null,
    amount: formatMoney(total.negated()),
    affectsBalance: true,
    sources: {
      returnId,
      returnClass: first.returnClass,
      closedOn: first.closedOn,
      charges: sorted.map((c) => ({
        ruleId: c.ruleId,
        kind: c.kind,
        payer: c.payer,
        amount: formatMoney(c.amount),
        detail: c.detail ?? null,
      })),
    },
  };
}

function penaltyLine(
  kind: 'COMPLAINT_PENALTY' | 'VIOLATION_PENALTY',
  what: string,
  f: StatementInput['complaints'][number],
  prefix = '',
): StatementLine {
  return {
    ruleId: 'R-SET-2',
    kind,
    period: monthOfDate(f.date),
    description: `${prefix}${what} ${f.reference}${f.kind ? ` (${f.kind})` : ''} of ${f.date}`,
    quantity: 1,
    rate: formatRate(f.amount),
    base: null,
    percent: null,
    amount: formatMoney(dec(f.amount).negated()),
    affectsBalance: true,
    sources: { [what === 'complaint' ? 'complaintId' : 'violationId']: f.id, reference: f.reference, date: f.date },
  };
}

function yearEndLines(input: StatementInput, months: MonthInput[], soFar: StatementLine[]): Keyed[] {
  const year = input.year!;
  const terms = [...months].reverse().find((m) => m.terms)?.terms;
  if (!terms) return [];
  const thisQuarter = sumMoney(
    soFar.filter((l) => l.kind === 'ALLOWANCE_ACCRUAL' || l.kind === 'ACCRUAL_CANCELLED').map((l) => l.amount),
  );
  const yearAllowance = dec(year.priorQuartersAllowance).plus(thisQuarter);
  const y = input.quarter.slice(0, 4);
  const out: Keyed[] = [];

  // R-REP-4: the longest run of consecutive months never submitted.
  const ym = [...year.monthsOfYear].sort((a, b) => cmp(a.month, b.month));
  let current: string[] = [];
  let longestMonths: string[] = [];
  for (const m of ym) {
    if (m.submitted) {
      current = [];
      continue;
    }
    const last = current[current.length - 1];
    current = last !== undefined && addMonths(last, 1) === m.month ? [...current, m.month] : [m.month];
    if (current.length > longestMonths.length) longestMonths = current;
  }
  const longest = longestMonths.length;
  if (longest >= terms.missedReportStreak) {
    const pct = terms.missedReportPenaltyPercent;
    out.push(
      keyed('rep4', {
        ruleId: 'R-REP-4',
        kind: 'MISSED_REPORT_PENALTY',
        period: y,
        description: `${longest} consecutive monthly reports missed (${longestMonths.join(', ')}): ${formatRate(pct)} % of the year's allowance ${formatMoney(yearAllowance)}`,
        quantity: longest,
        rate: null,
        base: formatMoney(yearAllowance),
        percent: formatRate(pct),
        amount: formatMoney(yearAllowance.times(pct).dividedBy(100).negated()),
        affectsBalance: true,
        sources: { missedMonths: longestMonths, streak: terms.missedReportStreak },
      }),
    );
  }

  // R-AWD-1: complaints < 1 per 1,000 units, satisfaction ≥ 98 %, on time in ≥ 90 % of months.
  const onTime = ym.filter((m) => m.onTime).length;
  const failed: string[] = [];
  if (!(year.unitsSold > 0 && year.complaintsCount * 1000 < year.unitsSold))
    failed.push(`complaints ${year.complaintsCount} per ${year.unitsSold} units`);
  if (!(year.surveyed > 0 && year.satisfied * 100 >= year.surveyed * 98))
    failed.push(`satisfaction ${year.satisfied}/${year.surveyed}`);
  if (!(ym.length > 0 && onTime * 10 >= ym.length * 9)) failed.push(`on time ${onTime}/${ym.length} months`);
  const pct = terms.excellenceAwardPercent;
  const eligible = failed.length === 0 && yearAllowance.isPositive();
  out.push(
    keyed('awd1', {
      ruleId: 'R-AWD-1',
      kind: 'EXCELLENCE_AWARD',
      period: y,
      description: eligible
        ? `excellence award: ${formatRate(pct)} % of the year's allowance ${formatMoney(yearAllowance)}`
        : `no excellence award: ${failed.length ? failed.join('; ') : 'no allowance in the year'}`,
      quantity: null,
      rate: null,
      base: formatMoney(yearAllowance),
      percent: formatRate(pct),
      amount: eligible ? formatMoney(yearAllowance.times(pct).dividedBy(100)) : '0.00',
      affectsBalance: true,
      sources: {
        unitsSold: year.unitsSold,
        complaints: year.complaintsCount,
        surveyed: year.surveyed,
        satisfied: year.satisfied,
        monthsOnTime: onTime,
        months: ym.length,
        priorQuartersAllowance: formatMoney(year.priorQuartersAllowance),
      },
    }),
  );
  return out;
}

function lateKey(f: LateFact): string {
  switch (f.kind) {
    case 'AUDIT_FINDING':
      return `${f.card.serial}|${f.card.auditId}`;
    case 'CARDS_ACCEPTED':
    case 'CARDS_WITHDRAWN':
      return `${f.factId}|${f.model}`;
    case 'COLLECTION':
    case 'PURCHASE':
    case 'COMPLAINT':
    case 'VIOLATION':
      return `${f.fact.reference}|${f.fact.id}`;
    case 'REQUISITION_LINE':
      return `${f.fact.requisitionId}|${f.fact.lineId}`;
    case 'URGENT_FREIGHT':
      return f.fact.requisitionId;
    case 'OLD_PARTS_INVOICE':
      return `${f.fact.requisitionId}|${f.fact.lineId}`;
    case 'RETURN_CHARGE':
      return `${f.fact.returnId}|${f.fact.kind}|${f.fact.payer}|${f.fact.amount}|${f.fact.detail ?? ''}`;
    case 'BREACH':
      return `${f.fact.reference}|${f.fact.id}`;
  }
}

/** R-SET-7: each late fact becomes a prior-period adjustment line naming its period and the fact. */
function priorPeriodLines(facts: LateFact[]): Keyed[] {
  const out: Keyed[] = [];
  const sorted = [...facts].sort((a, b) =>
    cmp(`${a.period}|${a.kind}|${lateKey(a)}`, `${b.period}|${b.kind}|${lateKey(b)}`),
  );
  // Quarters whose accrual a late fact already reversed (CANCEL_QUARTER or breach): reversed once only.
  const cancelled = new Set<string>();
  for (const f of sorted) {
    if (
      f.kind === 'BREACH' ||
      (f.kind === 'AUDIT_FINDING' && f.card.result === 'FALSIFIED' && f.terms?.fakeCardPolicy === 'CANCEL_QUARTER')
    ) {
      const q = f.kind === 'BREACH' ? f.fact.quarter : quarterOfMonth(f.period);
      if (!cancelled.has(q)) {
        cancelled.add(q);
        const amount = dec(f.quarterAccrual ?? '0');
        const ruleId = f.kind === 'BREACH' ? 'R-SET-6' : 'R-SET-5';
        out.push(
          late(
            f,
            `${q}|cancel`,
            ruleId,
            `${q} allowance accrual ${formatMoney(amount)} cancelled: ${f.kind === 'BREACH' ? `breach ${f.fact.reference}` : `falsified card ${f.card.serial} under CANCEL_QUARTER`}`,
            { base: formatMoney(amount), amount: formatMoney(amount.negated()) },
          ),
        );
      }
    }
  }
  for (const f of sorted) {
    const k = lateKey(f);
    switch (f.kind) {
      case 'AUDIT_FINDING': {
        const { card, terms } = f;
        if (card.result === 'FALSIFIED' && terms?.fakeCardPolicy === 'CANCEL_QUARTER') break;
        const perCard = terms && terms.allowanceBasis === 'PER_CARD' && f.wasCounted;
        if (perCard) {
          const rate = cardRate(terms, card.model);
          out.push(
            late(
              f,
              `${k}|1-reverse`,
              'R-AUD-2',
              `card ${card.serial} (${card.model}) of ${card.month} found ${card.result}: its accrual reversed`,
              { quantity: -1, rate: formatRate(rate), amount: formatMoney(dec(rate).negated()) },
            ),
          );
        }
        if (card.result === 'FALSIFIED' && terms) {
          const unit = dec(cardRate(terms, card.model)).times(terms.fakeCardMultiple);
          out.push(
            late(
              f,
              `${k}|2-penalty`,
              'R-AUD-3',
              `card ${card.serial} (${card.model}) of ${card.month} found FALSIFIED: ${terms.fakeCardMultiple} × ${formatMoney(cardRate(terms, card.model))}`,
              { quantity: 1, rate: formatRate(unit), amount: formatMoney(unit.negated()) },
            ),
          );
        }
        break;
      }
      case 'CARDS_ACCEPTED':
      case 'CARDS_WITHDRAWN': {
        if (
          !f.terms ||
          f.terms.allowanceBasis !== 'PER_CARD' ||
          !f.monthAccrues ||
          cancelled.has(quarterOfMonth(f.period))
        )
          break;
        const rate = cardRate(f.terms, f.model);
        const sign = f.kind === 'CARDS_ACCEPTED' ? 1 : -1;
        out.push(
          late(
            f,
            k,
            'R-SET-3',
            `${f.count} ${f.model} cards of ${f.period} ${f.kind === 'CARDS_ACCEPTED' ? 'accepted' : 'withdrawn'} after approval × ${formatMoney(rate)}`,
            {
              quantity: sign * f.count,
              rate: formatRate(rate),
              amount: formatMoney(dec(rate).times(f.count).times(sign)),
            },
          ),
        );
        break;
      }
      case 'COLLECTION':
      case 'PURCHASE': {
        const basis = f.kind === 'COLLECTION' ? 'COLLECTIONS_PERCENT' : 'PURCHASES_PERCENT';
        if (!f.terms || f.terms.allowanceBasis !== basis || cancelled.has(quarterOfMonth(f.period))) break;
        const pct = f.terms.percent ?? '0';
        out.push(
          late(
            f,
            k,
            'R-SET-3',
            `${f.kind === 'COLLECTION' ? 'collection' : 'purchase'} ${f.fact.reference} of ${f.period}: ${formatMoney(f.fact.amount)} × ${formatRate(pct)} %`,
            {
              base: formatMoney(f.fact.amount),
              percent: formatRate(pct),
              amount: formatMoney(dec(f.fact.amount).times(pct).dividedBy(100)),
            },
          ),
        );
        break;
      }
      case 'REQUISITION_LINE':
        out.push(asLate(f, k, partsLine(f.fact, `late fact of ${f.period}: `)));
        break;
      case 'URGENT_FREIGHT':
        out.push(asLate(f, k, urgentLine(f.fact, `late fact of ${f.period}: `)));
        break;
      case 'OLD_PARTS_INVOICE':
        out.push(asLate(f, k, oldPartsLine(f.fact, `late fact of ${f.period}: `)));
        break;
      case 'RETURN_CHARGE':
        if (f.fact.payer !== 'DEALER_ALLOWANCE') break;
        out.push(asLate(f, k, returnLine(f.fact.returnId, [f.fact], `late fact of ${f.period}: `)));
        break;
      case 'COMPLAINT':
        out.push(asLate(f, k, penaltyLine('COMPLAINT_PENALTY', 'complaint', f.fact, `late fact of ${f.period}: `)));
        break;
      case 'VIOLATION':
        out.push(asLate(f, k, penaltyLine('VIOLATION_PENALTY', 'violation', f.fact, `late fact of ${f.period}: `)));
        break;
      case 'BREACH':
        break;
    }
  }
  return out;
}

function late(
  f: LateFact,
  key: string,
  originalRuleId: string,
  what: string,
  v: { quantity?: number; rate?: string; base?: string; percent?: string; amount: string },
): Keyed {
  return keyed(`${f.period}|${key}`, {
    ruleId: 'R-SET-7',
    kind: 'PRIOR_PERIOD_ADJUSTMENT',
    period: f.period,
    description: `prior-period adjustment for ${f.period}: ${what}`,
    quantity: v.quantity ?? null,
    rate: v.rate ?? null,
    base: v.base ?? null,
    percent: v.percent ?? null,
    amount: v.amount,
    affectsBalance: true,
    sources: { originalRuleId, factKind: f.kind, fact: lateFactSource(f) },
  });
}

function asLate(f: LateFact, key: string, line: StatementLine): Keyed {
  return keyed(`${f.period}|${key}|${line.kind}`, {
    ...line,
    ruleId: 'R-SET-7',
    kind: 'PRIOR_PERIOD_ADJUSTMENT',
    period: f.period,
    description: `prior-period adjustment for ${f.period}: ${line.description}`,
    sources: { originalRuleId: line.ruleId, originalKind: line.kind, factKind: f.kind, ...line.sources },
  });
}

function lateFactSource(f: LateFact): unknown {
  switch (f.kind) {
    case 'AUDIT_FINDING':
      return {
        serial: f.card.serial,
        model: f.card.model,
        month: f.card.month,
        result: f.card.result,
        auditId: f.card.auditId,
        recordedOn: f.card.recordedOn,
        wasCounted: f.wasCounted,
      };
    case 'CARDS_ACCEPTED':
    case 'CARDS_WITHDRAWN':
      return { factId: f.factId, model: f.model, count: f.count };
    case 'BREACH':
      return { breachId: f.fact.id, reference: f.fact.reference, quarter: f.fact.quarter };
    default:
      return f.fact;
  }
}

const SECTION: Record<StatementLineKind, number> = {
  ALLOWANCE_ACCRUAL: 10,
  ALLOWANCE_NOT_ACCRUED: 10,
  CARDS_EXCLUDED: 10,
  ACCRUAL_CANCELLED: 20,
  FAKE_CARD_PENALTY: 30,
  PARTS_CHARGE: 40,
  PARTS_FREE: 40,
  PARTS_INVOICED: 40,
  RETURN_CHARGE: 50,
  COMPLAINT_PENALTY: 60,
  VIOLATION_PENALTY: 61,
  MISSED_REPORT_PENALTY: 62,
  EXCELLENCE_AWARD: 70,
  URGENT_FREIGHT_INVOICED: 80,
  OLD_PARTS_INVOICED: 81,
  PRIOR_PERIOD_ADJUSTMENT: 90,
  DISPUTE_RESOLUTION: 95,
};

/** Deterministic order: section of the formula (R-SET-2), period, then a key made of the facts' ids. */
function orderLines(lines: Keyed[]): StatementLine[] {
  const sortKey = (k: Keyed) =>
    `${String(SECTION[k.line.kind]).padStart(3, '0')}|${k.line.period}|${k.key}|${String(STATEMENT_LINE_KINDS.indexOf(k.line.kind)).padStart(2, '0')}`;
  return [...lines]
    .map((k) => ({ k: sortKey(k), line: k.line }))
    .sort((a, b) => cmp(a.k, b.k))
    .map(({ line }, i) => ({ ...line, lineNo: i + 1, affectsBalance: line.affectsBalance !== false }));
}

function totalsOf(lines: StatementLine[]): StatementTotals {
  const sum = (pred: (l: StatementLine) => boolean) => formatMoney(sumMoney(lines.filter(pred).map((l) => l.amount)));
  const byKind: Record<string, string> = {};
  for (const kind of STATEMENT_LINE_KINDS) {
    if (lines.some((l) => l.kind === kind)) byKind[kind] = sum((l) => l.kind === kind);
  }
  const inBalance = (l: StatementLine) => l.affectsBalance !== false;
  return {
    byKind,
    accrual: sum((l) => l.kind === 'ALLOWANCE_ACCRUAL' || l.kind === 'ACCRUAL_CANCELLED'),
    parts: sum((l) => l.kind === 'PARTS_CHARGE'),
    returns: sum((l) => l.kind === 'RETURN_CHARGE'),
    penalties: sum((l) =>
      ['FAKE_CARD_PENALTY', 'COMPLAINT_PENALTY', 'VIOLATION_PENALTY', 'MISSED_REPORT_PENALTY'].includes(l.kind),
    ),
    awards: sum((l) => l.kind === 'EXCELLENCE_AWARD'),
    adjustments: sum((l) => l.kind === 'PRIOR_PERIOD_ADJUSTMENT' && inBalance(l)),
    disputes: sum((l) => l.kind === 'DISPUTE_RESOLUTION'),
    invoiced: sum((l) => !inBalance(l)),
    net: sum(inBalance),
  };
}
