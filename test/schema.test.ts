import { readFileSync } from 'node:fs';
import { buildSchema, getIntrospectionQuery, graphqlSync, lexicographicSortSchema, parse, printSchema, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printClientSchema, printSubgraphSdl, SCHEMA_FILE, SUBGRAPH_FILE } from '../scripts/print-schema.js';
import { schema } from '../src/schema/index.js';

describe('the committed SDL', () => {
  it('matches the schema the code builds (run `npm run schema` after changing it)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(printClientSchema());
  });

  it('the subgraph SDL matches too, with its @link to federation and the CustomEvent @key', () => {
    const sdl = readFileSync(SUBGRAPH_FILE, 'utf8');
    expect(sdl).toBe(printSubgraphSdl());
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])');
    expect(sdl).toMatch(/type CustomEvent implements Node\s+@key\(fields: "name"\)/);
  });

  it('declares @defer and @stream, so a frontend\'s codegen accepts deferred documents', () => {
    const committed = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
    const deferred = parse(`query {
      fast: eventSeries(event: "e", length: 1) { total }
      ... @defer(label: "slow") { slow: eventSeries(event: "e", length: 30) { total } }
      segments(first: 3) { nodes @stream(initialCount: 1) { id } }
    }`);
    expect(validate(committed, deferred).map((error) => error.message)).toEqual([]);
  });

  it('the client SDL carries no federation plumbing', () => {
    const sdl = readFileSync(SCHEMA_FILE, 'utf8');
    for (const internal of ['_entities', '_service', '_Any', '@link', '@key']) expect(sdl).not.toContain(internal);
  });

  it('keeps the public contract frontends code against', () => {
    const committed = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
    const contract = buildSchema(`
      scalar DateTime
      enum TimeUnit { DAY HOUR }
      type Query {
        eventSeries(event: String!, length: Int!, unit: TimeUnit = DAY, endingAt: DateTime,
                    appId: String, segmentId: String): EventSeries
      }
      type EventSeries {
        event: String!  unit: TimeUnit!  appId: String  segmentId: String
        endingAt: DateTime!  points: [EventSeriesPoint!]!  total: Int!
      }
      type EventSeriesPoint { time: DateTime!  count: Int! }
    `);
    // Every type and field of the contract is there with the same signature (extra fields are allowed).
    for (const type of Object.values(contract.getTypeMap()).filter((t) => !t.name.startsWith('__'))) {
      const ours = committed.getType(type.name);
      expect(ours?.toString(), type.name).toBe(type.name);
      if ('getFields' in type && ours && 'getFields' in ours) {
        const ourFields = ours.getFields() as Record<string, { type: unknown; args?: { name: string; type: unknown; defaultValue?: unknown }[] }>;
        for (const [name, field] of Object.entries(type.getFields() as Record<string, typeof ourFields[string]>)) {
          expect(String(ourFields[name]?.type), `${type.name}.${name}`).toBe(String(field.type));
          for (const arg of field.args ?? []) {
            const ourArg = ourFields[name]?.args?.find((a) => a.name === arg.name);
            expect(String(ourArg?.type), `${type.name}.${name}(${arg.name})`).toBe(String(arg.type));
            expect(ourArg?.defaultValue, `${type.name}.${name}(${arg.name}) default`).toEqual(arg.defaultValue);
          }
        }
      }
    }
    expect(printSchema(lexicographicSortSchema(committed))).toContain('unit: TimeUnit = DAY');
  });

  it('describes every argument of eventSeries (GraphiQL is where people read them)', () => {
    const field = schema.getQueryType()?.getFields()['eventSeries'];
    expect(field?.args.map((a) => a.name).sort()).toEqual(['appId', 'endingAt', 'event', 'length', 'segmentId', 'unit']);
    for (const arg of field?.args ?? []) expect(arg.description, arg.name).toMatch(/Braze `[a-z_]+`/);
    const result = graphqlSync({ schema, source: getIntrospectionQuery() });
    expect(result.errors).toBeUndefined();
  });
});
