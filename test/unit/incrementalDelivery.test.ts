import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { acceptsIncremental, usesIncrementalDelivery } from '../../src/plugins/useIncrementalDelivery.js';

describe('acceptsIncremental: whether yoga can answer in parts for this Accept', () => {
  it.each([
    [null, true],
    ['', true],
    ['*/*', true],
    ['multipart/mixed', true],
    ['multipart/mixed;deferSpec=20220824, application/json', true],
    ['application/json, multipart/*', true],
    ['text/event-stream', true],
    ['text/*', true],
    ['Multipart/Mixed', true],
    ['application/json', false],
    ['application/graphql-response+json, application/json;q=0.9', false],
    ['text/html', false],
    ['multipart/form-data', false],
    ['multipart/mixed; charset=iso-8859-1', false],
    // Yoga skips a range whose first parameter containing `charset=` is not charset=utf-8.
    ['multipart/mixed;xcharset=utf-8', false],
    ['multipart/mixed;charset="utf-8"', false],
    // The client refuses the type.
    ['multipart/mixed;q=0', false],
    ['multipart/mixed;q=0, text/event-stream', true],
  ])('%j → %s', (accept, expected) => {
    expect(acceptsIncremental(accept)).toBe(expected);
  });
});

describe('usesIncrementalDelivery', () => {
  it.each([
    ['{ a }', false],
    ['{ ... @defer { a } }', true],
    ['{ ...F } fragment F on Query @deprecated { a }', false],
    ['{ ...F @defer } fragment F on Query { a }', true],
    ['{ list @stream(initialCount: 1) { id } }', true],
    ['{ ... @defer(if: false) { a } list @stream(if: false) { id } }', false],
    ['{ ... @defer(if: true) { a } }', true],
    ['query ($on: Boolean!) { ... @defer(if: $on) { a } }', true],
    ['{ a @include(if: true) }', false],
  ])('%s → %s', (document, expected) => {
    expect(usesIncrementalDelivery(parse(document))).toBe(expected);
  });
});
