import { describe, expect, it } from 'vitest';
import { compareDecimals, decimalFromNumber, sumDecimals } from '../../src/endpoints/answers/decimal.js';

describe('decimalFromNumber', () => {
  it('writes a JSON number as the decimal it reads as, cents kept', () => {
    expect(decimalFromNumber(1234.56)).toBe('1234.56');
    expect(decimalFromNumber(0.1)).toBe('0.1');
    expect(decimalFromNumber(7)).toBe('7');
    expect(decimalFromNumber(0)).toBe('0');
    expect(decimalFromNumber(-0)).toBe('0');
    expect(decimalFromNumber(2.5e-3)).toBe('0.0025');
  });

  it('expands the exponent forms String() uses for very large and very small numbers', () => {
    expect(String(1e21)).toBe('1e+21');
    expect(decimalFromNumber(1e21)).toBe('1000000000000000000000');
    expect(decimalFromNumber(1.5e22)).toBe('15000000000000000000000');
    expect(String(1e-7)).toBe('1e-7');
    expect(decimalFromNumber(1e-7)).toBe('0.0000001');
    expect(decimalFromNumber(1.25e-7)).toBe('0.000000125');
    expect(decimalFromNumber(-3.5e-8)).toBe('-0.000000035');
  });

  it('refuses what is not a number', () => {
    expect(() => decimalFromNumber(Number.NaN)).toThrow(RangeError);
    expect(() => decimalFromNumber(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('sumDecimals', () => {
  it('sums exactly where floats drift', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(sumDecimals(Array.from({ length: 10 }, () => '0.1'))).toBe('1');
    expect(sumDecimals(['1234.56', '0.44', '10'])).toBe('1245');
    expect(sumDecimals(['19.99', '5.005'])).toBe('24.995');
  });

  it('keeps every digit past 2^53', () => {
    expect(sumDecimals(['9007199254740993.01', '1'])).toBe('9007199254740994.01');
    expect(sumDecimals(['99999999999999999999.99', '0.01'])).toBe('100000000000000000000');
  });

  it('is "0" for no values and handles signs', () => {
    expect(sumDecimals([])).toBe('0');
    expect(sumDecimals(['-1.5', '1.5'])).toBe('0');
    expect(sumDecimals(['-1.25', '0.5'])).toBe('-0.75');
    expect(sumDecimals(['0.05', '-0.5'])).toBe('-0.45');
  });

  it('refuses exponent forms and anything that is not plain decimal notation', () => {
    for (const bad of ['1e+21', '1e-7', '', '.5', '5.', '1,5', ' 1', 'NaN', '+1']) {
      expect(() => sumDecimals(['1', bad]), bad).toThrow(RangeError);
    }
  });

  it('its results are what decimalFromNumber writes', () => {
    expect(sumDecimals([decimalFromNumber(1e-7), decimalFromNumber(1e21)])).toBe('1000000000000000000000.0000001');
  });
});

describe('compareDecimals', () => {
  it('orders decimals exactly, whatever their scales, where floats cannot tell them apart', () => {
    expect(compareDecimals('2', '10')).toBe(-1);
    expect(compareDecimals('10', '2')).toBe(1);
    expect(compareDecimals('1.5', '1.50')).toBe(0);
    expect(compareDecimals('0.3', sumDecimals(['0.1', '0.2']))).toBe(0);
    expect(compareDecimals('-0.5', '0')).toBe(-1);
    expect(compareDecimals('-1.25', '-1.3')).toBe(1);
    // Both read as the same double (2^53 + 1 is not one); as decimals they differ.
    expect(Number('9007199254740993')).toBe(Number('9007199254740992'));
    expect(compareDecimals('9007199254740993', '9007199254740992')).toBe(1);
    expect(compareDecimals('1000000000000000000000.0000001', '1000000000000000000000')).toBe(1);
  });

  it('refuses what is not plain decimal notation', () => {
    expect(() => compareDecimals('1e3', '1')).toThrow(RangeError);
  });
});
