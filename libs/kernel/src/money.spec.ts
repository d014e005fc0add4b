import { dec, formatMoney, isMoneyString, isRateString, roundMoney, sumMoney } from './money';

describe('money (R-MNY-1)', () => {
  it('R-MNY-1 rounds once to 0.01, half away from zero', () => {
    expect(formatMoney('2.345')).toBe('2.35');
    expect(formatMoney('-2.345')).toBe('-2.35');
    expect(formatMoney('2.3449999')).toBe('2.34');
    expect(roundMoney('0.005').toFixed(2)).toBe('0.01');
  });

  it('R-MNY-1 computes exactly where binary floats would drift', () => {
    expect(formatMoney(dec('0.1').plus('0.2'))).toBe('0.30');
    expect(dec('148').times('15.00').toFixed(2)).toBe('2220.00');
    expect(formatMoney(sumMoney(['1900.00', '1200.00', '2220.00', '-300.00', '-485.00', '-240.00', '-1000.00']))).toBe(
      '3295.00',
    );
  });

  it('normalises negative zero', () => {
    expect(formatMoney('-0.001')).toBe('0.00');
  });

  it('accepts only decimal strings with at most two places as money', () => {
    expect(isMoneyString('15.00')).toBe(true);
    expect(isMoneyString('-412.5')).toBe(true);
    expect(isMoneyString('15.001')).toBe(false);
    expect(isMoneyString(15)).toBe(false);
    expect(isMoneyString('1e3')).toBe(false);
  });

  it('accepts rates with up to four places', () => {
    expect(isRateString('1.2500')).toBe(true);
    expect(isRateString('1.25001')).toBe(false);
    expect(isRateString('-1')).toBe(false);
  });
});
