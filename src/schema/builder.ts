import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { GatewayContext } from '../context.js';
import { DateTimeScalar } from './scalars.js';

/** The one builder every type file adds to. It defines no types itself. */
export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  // Fields are non-null unless they say otherwise: a null must mean something.
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
  };
}>({
  defaultFieldNullability: false,
  // Federation last, after plugins that wrap resolvers (its own docs ask for this order).
  plugins: [DirectivePlugin, FederationPlugin],
});

builder.addScalarType('DateTime', DateTimeScalar);
builder.queryType({});
