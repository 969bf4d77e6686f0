import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { GatewayContext } from './context.js';
import { DateResolver, SafeIntResolver } from 'graphql-scalars';
import { DateTimeScalar, DecimalScalar } from './scalars.js';

/** The one builder every type file adds to. It defines no types itself. */
export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  // Fields are non-null unless they say otherwise: a null must mean something.
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    /** A calendar date, `YYYY-MM-DD` (graphql-scalars): a DAY point's date as Braze wrote it. */
    Date: { Input: Date; Output: string };
    /** Integers up to 2^53 - 1 (graphql-scalars): counts that can pass GraphQL Int's 2^31 - 1. */
    SafeInt: { Input: number; Output: number };
    Decimal: { Input: string; Output: string };
  };
}>({
  defaultFieldNullability: false,
  // Federation last, after plugins that wrap resolvers (its own docs ask for this order).
  plugins: [DirectivePlugin, FederationPlugin],
});

builder.addScalarType('DateTime', DateTimeScalar);
builder.addScalarType('Date', DateResolver);
builder.addScalarType('SafeInt', SafeIntResolver);
builder.addScalarType('Decimal', DecimalScalar);
builder.queryType({});
