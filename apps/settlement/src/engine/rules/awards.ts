import type { AgreementTerms } from '@app/contracts';
import { Dec, formatMoney, formatRate } from '@app/kernel';
import type { YearContext } from '../statement-input';
import { Keyed, keyed } from './keyed-line';

/** Why a dealer misses the award: complaints < 1 per 1,000 units, satisfaction ≥ 98 %, on time in ≥ 90 % of months. */
function awardFailures(year: YearContext, onTime: number): string[] {
  const failed: string[] = [];
  const months = year.monthsOfYear.length;
  if (!(year.unitsSold > 0 && year.complaintsCount * 1000 < year.unitsSold))
    failed.push(`complaints ${year.complaintsCount} per ${year.unitsSold} units`);
  if (!(year.surveyed > 0 && year.satisfied * 100 >= year.surveyed * 98))
    failed.push(`satisfaction ${year.satisfied}/${year.surveyed}`);
  if (!(months > 0 && onTime * 10 >= months * 9)) failed.push(`on time ${onTime}/${months} months`);
  return failed;
}

/** R-AWD-1 (Q4): the excellence award, a percent of the year's allowance, or a zero line saying why not. */
export function rAwd1ExcellenceAward(
  year: YearContext,
  terms: AgreementTerms,
  yearAllowance: Dec,
  period: string,
): Keyed[] {
  const onTime = year.monthsOfYear.filter((m) => m.onTime).length;
  const failed = awardFailures(year, onTime);
  const pct = terms.excellenceAwardPercent;
  const eligible = failed.length === 0 && yearAllowance.isPositive();
  return [
    keyed('awd1', {
      ruleId: 'R-AWD-1',
      kind: 'EXCELLENCE_AWARD',
      period,
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
        months: year.monthsOfYear.length,
        priorQuartersAllowance: formatMoney(year.priorQuartersAllowance),
      },
    }),
  ];
}
