import { describe, expect, it } from 'vitest';
import { chooseEncoding, varyOnAcceptEncoding } from '../../src/server/acceptEncoding.js';

describe('chooseEncoding', () => {
  it.each([
    [null, undefined, 'no header: identity'],
    ['', undefined, 'empty: identity'],
    ['identity', undefined, 'identity only'],
    ['gzip', 'gzip', 'gzip only'],
    ['br', 'br', 'br only'],
    ['gzip, deflate, br', 'br', 'both at weight 1: the server prefers br'],
    ['gzip, deflate, br, zstd', 'br', 'a browser’s header'],
    ['br;q=0.5, gzip', 'gzip', 'a higher weight wins over the server’s order'],
    ['br;q=0, gzip;q=0.1', 'gzip', 'q=0 refuses br'],
    ['gzip;q=0', undefined, 'q=0 refuses the only coding named'],
    ['*', 'br', '* allows any'],
    ['*;q=0.5, br;q=0', 'gzip', '* gives gzip its weight while br is refused'],
    ['*;q=0', undefined, '* refused, nothing named'],
    ['GZIP', 'gzip', 'case-insensitive'],
    ['  gzip ; q = 0.8 ,  br ; q=0.9 ', 'br', 'spaces around parameters'],
    ['gzip;q=2', undefined, 'a weight out of range: element skipped'],
    ['gzip;q=abc, br;q=0.1', 'br', 'a malformed weight: element skipped, the rest read'],
    ['gzip;level=9', 'gzip', 'an unknown parameter is ignored'],
    ['<script>, gzip', 'gzip', 'a malformed name is skipped'],
    ['gzip;q=0.001', 'gzip', 'a tiny weight still accepts'],
  ])('%j → %s (%s)', (header: string | null, expected: string | undefined, _why: string) => {
    expect(chooseEncoding(header, ['br', 'gzip'])).toBe(expected);
  });

  it('offers only what the server has', () => {
    expect(chooseEncoding('br', ['gzip'])).toBeUndefined();
    expect(chooseEncoding('br, gzip', ['gzip'])).toBe('gzip');
  });

  it('reads a hostile header in linear time without throwing', () => {
    const header = `${'x;q=0.5,'.repeat(100_000)}gzip`;
    expect(chooseEncoding(header, ['br', 'gzip'])).toBe('gzip');
  });
});

describe('varyOnAcceptEncoding', () => {
  it.each([
    [null, 'Accept-Encoding'],
    ['', 'Accept-Encoding'],
    ['Origin', 'Origin, Accept-Encoding'],
    ['origin, accept-encoding', 'origin, accept-encoding'],
    ['*', '*'],
  ])('%j → %j', (vary, expected) => {
    expect(varyOnAcceptEncoding(vary)).toBe(expected);
  });
});
