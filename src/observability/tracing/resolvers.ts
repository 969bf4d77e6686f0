import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { RequestTrace } from './requestTrace.js';

const wrapped = Symbol('traced resolver');

/**
 * Lets a traced request's resolvers be told apart: each field's resolver runs in a scope of its own
 * (RequestTrace.resolve), so a load it makes is recorded under a span for that field, and only fields
 * that load Braze data get one. Which fields load is not known ahead (a leaf like `Campaign.name` may),
 * hence every field that has a resolver of its own.
 *
 * The schema is built once per process, so its fields are wrapped in place, once, when the first
 * gateway with tracing on is made; a request that is not traced (tracing off for that gateway, or not
 * sampled) runs the original resolver after one property read.
 */
export function traceResolvers(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve as (GraphQLFieldResolver<unknown, unknown> & { [wrapped]?: true }) | undefined;
      if (!resolve || resolve[wrapped]) continue;
      const traced: GraphQLFieldResolver<unknown, unknown> & { [wrapped]?: true } = (source, args, context, info) => {
        const trace = (context as { trace?: RequestTrace } | undefined)?.trace;
        if (!trace?.recording) return resolve(source, args, context, info);
        return trace.resolve(info, resolve, source, args, context, info);
      };
      traced[wrapped] = true;
      field.resolve = traced;
    }
  }
}
