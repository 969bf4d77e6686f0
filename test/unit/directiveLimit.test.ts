import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { countDirectives } from '../../src/plugins/useDirectiveLimit.js';

const count = (document: string): number => countDirectives(parse(document));

describe('countDirectives', () => {
  it('counts the directives an operation runs with, wherever they are written', () => {
    expect(count('{ a }')).toBe(0);
    expect(count('query Q @x { a @include(if: true) ... @defer { b @skip(if: false) } }')).toBe(4);
    expect(count('query Q($v: Int @x) { a }')).toBe(1);
  });

  it('a fragment counts once per spread that reaches it, the spread\'s own directives included', () => {
    expect(count('fragment F on Q { a @x } { ...F ...F ...F }')).toBe(3);
    expect(count('fragment F on Q { a } { ...F @defer ...F @defer ...F @defer }')).toBe(3);
    expect(count('fragment F on Q @x { a } { ...F ...F }')).toBe(2);
    expect(count('fragment G on Q { a @x } fragment F on Q { ...G @y ...G } { ...F @defer ...F }')).toBe(7);
  });

  it('is the most of any one operation', () => {
    expect(count('query A { a @x } query B { a @x b @y }')).toBe(2);
  });

  it('stops at a fragment that spreads itself (validation refuses it) and at an unknown fragment', () => {
    expect(count('fragment F on Q { a @x ...F @y } { ...F }')).toBe(2);
    expect(count('{ ...Missing @defer }')).toBe(1);
  });
});
