import { beforeEach, describe, expect, it } from 'vitest';
import { representationProblem } from '../src/schema/entityRepresentations.js';
import { useGatewayWithFakeBraze } from './helpers/gateway.js';

/** What a federation router sends: the representations as a variable. */
const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on CustomEvent { name series(length: 2, endingAt: "2024-03-10T00:00:00Z") { total } }
  }
}`;

const NOT_AN_OBJECT = 'An entity representation must be an object with __typename (Campaign, Canvas, CustomAttribute, CustomEvent, Product, Segment) and the key fields';
const NO_TYPENAME = 'An entity representation needs __typename: Campaign, Canvas, CustomAttribute, CustomEvent, Product, Segment';
const BAD_KEY = 'A CustomEvent representation needs its key: name, a non-empty string of at most 255 characters';

/** Each malformed representation, and the message its entry gets. */
const MALFORMED: [string, unknown, string][] = [
  ['an unknown __typename', { __typename: 'Nope' }, '"Nope" is not an entity type of this subgraph; __typename must be Campaign, Canvas, CustomAttribute, CustomEvent, Product, Segment'],
  ['an object type that is no entity', { __typename: 'EventSeries' }, '"EventSeries" is not an entity type of this subgraph; __typename must be Campaign, Canvas, CustomAttribute, CustomEvent, Product, Segment'],
  ['an empty object', {}, NO_TYPENAME],
  ['a __typename that is not a string', { __typename: 5, name: 'purchase' }, NO_TYPENAME],
  ['a number', 5, NOT_AN_OBJECT],
  ['a string', 'CustomEvent', NOT_AN_OBJECT],
  ['a list', [{ __typename: 'CustomEvent', name: 'purchase' }], NOT_AN_OBJECT],
  ['name: null', { __typename: 'CustomEvent', name: null }, BAD_KEY],
  ['name: 5', { __typename: 'CustomEvent', name: 5 }, BAD_KEY],
  ['no name', { __typename: 'CustomEvent' }, BAD_KEY],
  ['a blank name', { __typename: 'CustomEvent', name: '  ' }, BAD_KEY],
  ['a name longer than Braze allows', { __typename: 'CustomEvent', name: 'n'.repeat(256) }, BAD_KEY],
];

describe('representationProblem (pure)', () => {
  const entityTypes = new Set(['CustomEvent', 'Campaign']);

  it('accepts an object naming an entity type, whatever its other fields (the entity checks its key)', () => {
    expect(representationProblem({ __typename: 'CustomEvent', name: 'purchase' }, entityTypes)).toBeUndefined();
    expect(representationProblem({ __typename: 'Campaign' }, entityTypes)).toBeUndefined();
  });

  it('names every entity type in its message', () => {
    expect(representationProblem({ __typename: 'Nope' }, entityTypes)?.message).toBe(
      '"Nope" is not an entity type of this subgraph; __typename must be CustomEvent, Campaign',
    );
    expect(representationProblem(null, entityTypes)?.code).toBe('BAD_USER_INPUT');
  });
});

const { braze, gateway } = useGatewayWithFakeBraze();
beforeEach(() => {
  braze.calls.length = 0;
  gateway.logs.length = 0;
});

const errorLines = (logs: string[]): string[] => logs.filter((line) => (JSON.parse(line) as { level: string }).level === 'error');

describe('_entities with a malformed representation: BAD_USER_INPUT for that entry, no upstream call, nothing logged at error level', () => {
  for (const [shape, representation, message] of MALFORMED) {
    it(shape, async () => {
      const result = await gateway.query(ENTITIES, { representations: [representation] });
      expect(result.status).toBe(200);
      expect(result.data).toEqual({ _entities: [null] });
      expect(result.errors).toEqual([
        { message, locations: [{ line: 2, column: 3 }], path: ['_entities', 0], extensions: { code: 'BAD_USER_INPUT', argument: 'representations' } },
      ]);
      expect(braze.calls).toHaveLength(0);
      expect(errorLines(gateway.logs)).toEqual([]);
    });
  }
});

describe('good and malformed representations in one call', () => {
  it('the good ones resolve (one upstream call each), each bad one is null with its own error at its index', async () => {
    const result = await gateway.query(ENTITIES, {
      representations: [
        { __typename: 'CustomEvent', name: 'purchase' },
        { __typename: 'Nope' },
        { __typename: 'CustomEvent', name: 'signup' },
        { __typename: 'CustomEvent', name: null },
      ],
    });
    expect(result.status).toBe(200);
    expect(result.data).toEqual({
      _entities: [{ name: 'purchase', series: { total: 3 } }, null, { name: 'signup', series: { total: 3 } }, null],
    });
    expect(result.errors.map(({ path, extensions }) => ({ path, code: extensions?.['code'] }))).toEqual([
      { path: ['_entities', 1], code: 'BAD_USER_INPUT' },
      { path: ['_entities', 3], code: 'BAD_USER_INPUT' },
    ]);
    expect(braze.seriesCalls.map((call) => call.query['event']).sort()).toEqual(['purchase', 'signup']);
    expect(errorLines(gateway.logs)).toEqual([]);
  });

  it('representations written inline in the document are checked the same way', async () => {
    const result = await gateway.query(`{ _entities(representations: [{ __typename: "Nope" }, { __typename: "CustomEvent", name: "purchase" }]) { ... on CustomEvent { name } } }`);
    expect(result.data).toEqual({ _entities: [null, { name: 'purchase' }] });
    expect(result.errors.map(({ path, extensions }) => ({ path, extensions }))).toEqual([
      { path: ['_entities', 0], extensions: { code: 'BAD_USER_INPUT', argument: 'representations' } },
    ]);
    expect(errorLines(gateway.logs)).toEqual([]);
  });
});
