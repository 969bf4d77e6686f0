import { describe, expect, it } from 'vitest';
import { boolean, defaultsOf, integer, list, oneOf, parsed, string, VariableReader, type Env } from '../../src/config/read.js';

/** The value read and every problem reported, from one environment. */
function readOne<T>(env: Env, read: (vars: VariableReader) => T): { value: T; problems: readonly string[] } {
  const vars = new VariableReader(env);
  const value = read(vars);
  return { value, problems: [...vars.problems] };
}

describe('integer', () => {
  const SIZE = integer('SIZE', { min: 10, max: 20, default: 15 });

  it('accepts both bounds and everything between', () => {
    expect(readOne({ SIZE: '10' }, (v) => v.read(SIZE))).toEqual({ value: 10, problems: [] });
    expect(readOne({ SIZE: '20' }, (v) => v.read(SIZE))).toEqual({ value: 20, problems: [] });
    expect(readOne({ SIZE: ' 012 ' }, (v) => v.read(SIZE))).toEqual({ value: 12, problems: [] });
  });

  it.each(['9', '21', '-10', '+12', '12.0', '1e1', '0x10', '12ms', '１２', '99999999999999999999'])(
    'refuses %j, naming the bounds, and falls back to the default',
    (raw) => {
      expect(readOne({ SIZE: raw }, (v) => v.read(SIZE))).toEqual({
        value: 15,
        problems: [`SIZE must be a whole number from 10 to 20 (got "${raw.trim()}")`],
      });
    },
  );
});

describe('boolean', () => {
  const ON = boolean('ON', false);

  it.each([
    ['true', true], ['1', true], ['yes', true], ['on', true], ['TRUE', true], [' Yes ', true],
    ['false', false], ['0', false], ['no', false], ['off', false], ['OFF', false],
  ])('reads %j as %s', (raw, expected) => {
    // The default (false) must not be what a true reading returns by accident: read against both defaults.
    expect(readOne({ ON: raw }, (v) => v.read(ON))).toEqual({ value: expected, problems: [] });
    expect(readOne({ ON: raw }, (v) => v.read(ON, !expected))).toEqual({ value: expected, problems: [] });
  });

  it('refuses anything else, echoing it as written', () => {
    expect(readOne({ ON: 'Maybe' }, (v) => v.read(ON))).toEqual({ value: false, problems: ['ON must be true or false (got "Maybe")'] });
  });
});

describe('oneOf', () => {
  const LEVEL = oneOf('LEVEL', ['low', 'high'] as const, 'low');

  it('lower-cases the value before matching it', () => {
    expect(readOne({ LEVEL: 'HIGH' }, (v) => v.read(LEVEL))).toEqual({ value: 'high', problems: [] });
  });

  it('refuses other values, listing the choices', () => {
    expect(readOne({ LEVEL: 'Mid' }, (v) => v.read(LEVEL))).toEqual({
      value: 'low',
      problems: ['LEVEL must be one of low, high (got "mid")'],
    });
  });
});

describe('string, list and parsed', () => {
  it('string: trimmed, its default when unset', () => {
    expect(readOne({ NAME: '  x y ' }, (v) => v.read(string('NAME')))).toEqual({ value: 'x y', problems: [] });
    expect(readOne({}, (v) => v.read(string('NAME', { default: 'd' })))).toEqual({ value: 'd', problems: [] });
    expect(readOne({}, (v) => v.read(string('NAME')))).toEqual({ value: undefined, problems: [] });
  });

  it('list: entries trimmed, empty ones kept in place; undefined when unset', () => {
    expect(readOne({ ITEMS: ' a , ,b,' }, (v) => v.read(list('ITEMS')))).toEqual({ value: ['a', '', 'b', ''], problems: [] });
    expect(readOne({}, (v) => v.read(list('ITEMS')))).toEqual({ value: undefined, problems: [] });
  });

  it('parsed: the parser reports in its own words; the default stands in for a refused value', () => {
    const EVEN = parsed('EVEN', 2, (value, report) => {
      if (Number(value) % 2 === 0) return Number(value);
      report(`EVEN is odd (got ${value})`);
      return undefined;
    });
    expect(readOne({ EVEN: '8' }, (v) => v.read(EVEN))).toEqual({ value: 8, problems: [] });
    expect(readOne({ EVEN: '7' }, (v) => v.read(EVEN))).toEqual({ value: 2, problems: ['EVEN is odd (got 7)'] });
  });
});

describe('blank values', () => {
  const PLAIN = integer('PLAIN', { min: 0, max: 9, default: 3 });
  const GUARDED = string('GUARDED', { refuseBlank: true });

  it.each(['', ' ', '\t\n'])('%j counts as unset for an ordinary variable', (blank) => {
    expect(readOne({ PLAIN: blank }, (v) => ({ value: v.read(PLAIN), set: v.isSet(PLAIN) }))).toEqual({
      value: { value: 3, set: false },
      problems: [],
    });
  });

  it.each(['', ' ', '\t'])('%j is refused by a variable that refuses blanks, and reads as unset', (blank) => {
    expect(readOne({ GUARDED: blank }, (v) => ({ value: v.read(GUARDED), set: v.isSet(GUARDED) }))).toEqual({
      value: { value: undefined, set: false },
      problems: ['GUARDED is set but empty: give it a value or unset it'],
    });
  });

  it('an absent variable that refuses blanks is simply unset', () => {
    expect(readOne({}, (v) => v.read(GUARDED))).toEqual({ value: undefined, problems: [] });
  });
});

describe('tables', () => {
  const TABLE = {
    size: integer('SIZE', { min: 1, max: 5, default: 2 }),
    name: string('NAME', { refuseBlank: true, default: 'n' }),
    on: boolean('ON', true, { refuseBlank: true }),
  };

  it('defaultsOf gives every field its default', () => {
    expect(defaultsOf(TABLE)).toEqual({ size: 2, name: 'n', on: true });
  });

  it('readAll reads every field, falling back field by field', () => {
    expect(readOne({ SIZE: '4', ON: 'no' }, (v) => v.readAll(TABLE))).toEqual({ value: { size: 4, name: 'n', on: false }, problems: [] });
  });

  it('keeps every problem, blank refusals first, then the rest in table order', () => {
    expect(readOne({ SIZE: '9', NAME: ' ', ON: 'perhaps' }, (v) => v.readAll(TABLE))).toEqual({
      value: { size: 2, name: 'n', on: true },
      problems: [
        'NAME is set but empty: give it a value or unset it',
        'SIZE must be a whole number from 1 to 5 (got "9")',
        'ON must be true or false (got "perhaps")',
      ],
    });
  });

  it('problems accumulate across reads, in the order of the reads, with problems of its own reported between', () => {
    const { problems } = readOne({ SIZE: '0', LEVEL: 'x', ON: 'x' }, (v) => {
      v.read(boolean('ON', true));
      v.report('a problem between two settings');
      v.read(integer('SIZE', { min: 1, max: 5, default: 2 }));
      v.read(oneOf('LEVEL', ['a'] as const, 'a'));
    });
    expect(problems).toEqual([
      'ON must be true or false (got "x")',
      'a problem between two settings',
      'SIZE must be a whole number from 1 to 5 (got "0")',
      'LEVEL must be one of a (got "x")',
    ]);
  });
});
