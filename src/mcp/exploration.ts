import {
  getNamedType,
  GraphQLError,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  parse,
  validate,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import type { McpTool } from './tool.js';
import { answerResult, brazeUse, refusalResult } from './toolResults.js';

/** Longest search text, type name or document an exploration tool reads (a document is also bounded by MAX_REQUEST_BODY_BYTES). */
const MAX_WORDS_LENGTH = 200;
const MAX_NAME_LENGTH = 200;
/** Matches a search returns at most: enough to choose from, short enough for an agent's context. */
const MAX_MATCHES = 25;

export interface ExplorationOptions {
  /** INTROSPECTION_ENABLED: off, the schema is not shown (no search, introspect or validate, whose errors suggest names), as /graphql does. */
  readonly introspection: boolean;
  /** MCP_EXECUTE_ENABLED. */
  readonly execute: boolean;
}

/**
 * Tools for questions the curated operations do not cover: find where a word appears in the schema,
 * read one type, validate a document, and run it (`execute`, through the gateway, so under the same
 * query limits, credential and budget as any request). search and introspect cost no Braze call.
 */
export function explorationTools(schema: GraphQLSchema, options: ExplorationOptions): McpTool[] {
  const tools: McpTool[] = [];
  if (options.introspection) tools.push(searchSchema(schema), introspectType(schema), validateTool(schema));
  if (options.execute) tools.push(executeTool());
  return tools;
}

function searchSchema(schema: GraphQLSchema): McpTool {
  const entries = schemaEntries(schema);
  return {
    name: 'search_schema',
    description:
      'Finds where words appear in the analytics graph: type, field, argument and enum value names and their descriptions. ' +
      `Returns at most ${MAX_MATCHES} coordinates (Type.field, Type.field(argument:), Enum.VALUE) with the first sentence of each description, best first; read a type whole with introspect_type. Costs no Braze call.`,
    inputSchema: {
      type: 'object',
      properties: { words: { type: 'string', description: 'One or more words, e.g. "active users" or "conversions canvas".' } },
      required: ['words'],
      additionalProperties: false,
    },
    spendsBraze: false,
    run(args) {
      const words = args['words'];
      if (typeof words !== 'string' || words.trim() === '' || words.length > MAX_WORDS_LENGTH) {
        return Promise.resolve(refusalResult('BAD_USER_INPUT', `words must be text of 1 to ${MAX_WORDS_LENGTH} characters`, { argument: 'words' }));
      }
      const terms = words.toLowerCase().split(/\s+/).filter((term) => term !== '');
      const matches = entries
        .map((entry) => ({ entry, score: score(entry, terms) }))
        .filter(({ score }) => score > 0)
        .sort((a, b) => b.score - a.score || a.entry.coordinate.localeCompare(b.entry.coordinate))
        .slice(0, MAX_MATCHES)
        .map(({ entry }) => ({ coordinate: entry.coordinate, ...(entry.type ? { type: entry.type } : {}), description: entry.summary }));
      return Promise.resolve(jsonResult({ matches }));
    },
  };
}

function introspectType(schema: GraphQLSchema): McpTool {
  return {
    name: 'introspect_type',
    description:
      'Describes one type of the analytics graph: its fields (with their arguments, types and descriptions), an enum’s values or an input’s fields. ' +
      'Start from Query for every question the graph answers. Costs no Braze call.',
    inputSchema: {
      type: 'object',
      properties: { name: { type: 'string', description: 'A type name, e.g. Query, KpiSeries, Kpi.' } },
      required: ['name'],
      additionalProperties: false,
    },
    spendsBraze: false,
    run(args) {
      const name = args['name'];
      const type = typeof name === 'string' && name.length <= MAX_NAME_LENGTH ? schema.getType(name) : undefined;
      if (!type || type.name.startsWith('__')) {
        return Promise.resolve(refusalResult('BAD_USER_INPUT', 'No such type in the schema: search_schema finds names', { argument: 'name' }));
      }
      return Promise.resolve(jsonResult(typeView(type)));
    },
  };
}

function validateTool(schema: GraphQLSchema): McpTool {
  return {
    name: 'validate',
    description:
      'Checks a GraphQL document against the schema without running it: its syntax, fields, arguments and variables. ' +
      'The query limits (depth, aliases, tokens, cost) are checked when execute runs it, before any Braze call. Costs no Braze call.',
    inputSchema: { type: 'object', properties: { query: { type: 'string', description: 'A GraphQL document.' } }, required: ['query'], additionalProperties: false },
    spendsBraze: false,
    run(args) {
      const query = args['query'];
      if (typeof query !== 'string' || query.trim() === '') return Promise.resolve(refusalResult('BAD_USER_INPUT', 'query must be a GraphQL document', { argument: 'query' }));
      let problems: readonly GraphQLError[];
      try {
        // Bounded by the same token count as execute's limit would allow at most.
        problems = validate(schema, parse(query, { maxTokens: 100_000 }));
      } catch (error) {
        problems = [error instanceof GraphQLError ? error : new GraphQLError('The document does not parse')];
      }
      if (problems.length === 0) return Promise.resolve(jsonResult({ valid: true }));
      const errors = problems.map((problem) => ({ code: 'GRAPHQL_VALIDATION_FAILED', message: problem.message, ...(problem.locations ? { locations: problem.locations } : {}) }));
      return Promise.resolve({ ...jsonResult({ valid: false, errors }), isError: true });
    },
  };
}

function executeTool(): McpTool {
  return {
    name: 'execute',
    description:
      'Runs an ad-hoc GraphQL query through the gateway, as /graphql would: the same credential, query limits (depth, aliases, tokens, cost), ' +
      'cache and rate-limit buckets. Prefer a curated tool when one answers the question; use search_schema and introspect_type to write the query. ' +
      'The result says the Braze calls it cost.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'A GraphQL query document.' },
        variables: { type: ['object', 'null'], description: 'Values of its variables.' },
        operationName: { type: ['string', 'null'], description: 'Which operation to run, when the document holds several.' },
      },
      required: ['query'],
      additionalProperties: false,
    },
    spendsBraze: true,
    async run(args, call) {
      const { query, variables, operationName } = args;
      if (typeof query !== 'string') return refusalResult('BAD_USER_INPUT', 'query must be a GraphQL document', { argument: 'query' });
      if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
        return refusalResult('BAD_USER_INPUT', 'variables must be an object', { argument: 'variables' });
      }
      if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
        return refusalResult('BAD_USER_INPUT', 'operationName must be text', { argument: 'operationName' });
      }
      const answer = await call.graphql({
        query,
        variables: (variables ?? undefined) as Record<string, unknown> | undefined,
        operationName: operationName ?? undefined,
      });
      return answerResult(answer, brazeUse(answer.cost, call.budget.left));
    },
  };
}

function jsonResult(body: Record<string, unknown>): { content: { type: 'text'; text: string }[]; structuredContent: Record<string, unknown> } {
  return { content: [{ type: 'text', text: JSON.stringify(body) }], structuredContent: body };
}

interface Entry {
  readonly coordinate: string;
  readonly type: string | undefined;
  readonly summary: string | undefined;
  /** Lower-cased name and description, searched. */
  readonly name: string;
  readonly text: string;
}

/** Every named thing of the schema a search can find (its own types, not introspection's). */
function schemaEntries(schema: GraphQLSchema): Entry[] {
  const entries: Entry[] = [];
  const add = (coordinate: string, name: string, description: string | null | undefined, type?: string): void => {
    entries.push({ coordinate, type, summary: firstSentence(description), name: name.toLowerCase(), text: (description ?? '').toLowerCase() });
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    add(type.name, type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()) as (GraphQLField<unknown, unknown> | GraphQLInputField)[]) {
        add(`${type.name}.${field.name}`, field.name, field.description, String(field.type));
        for (const argument of 'args' in field ? field.args : []) add(`${type.name}.${field.name}(${argument.name}:)`, argument.name, argument.description, String(argument.type));
      }
    }
    if (isEnumType(type)) for (const value of type.getValues()) add(`${type.name}.${value.name}`, value.name, value.description);
  }
  return entries;
}

/** Each term found in a name counts 3, in a description 1; every term must be found somewhere. */
function score(entry: Entry, terms: readonly string[]): number {
  let total = 0;
  for (const term of terms) {
    const found = (entry.name.includes(term) ? 3 : 0) + (entry.text.includes(term) ? 1 : 0);
    if (found === 0) return 0;
    total += found;
  }
  return total;
}

function firstSentence(description: string | null | undefined): string | undefined {
  if (!description) return undefined;
  const end = description.search(/\.(\s|$)/);
  return end === -1 ? description : description.slice(0, end + 1);
}

function typeView(type: GraphQLNamedType): Record<string, unknown> {
  const base = { name: type.name, ...(type.description ? { description: type.description } : {}) };
  if (isObjectType(type) || isInterfaceType(type)) {
    return {
      ...base,
      kind: isObjectType(type) ? 'OBJECT' : 'INTERFACE',
      fields: Object.values(type.getFields()).map((field) => ({
        name: field.name,
        type: String(field.type),
        ...(field.description ? { description: field.description } : {}),
        ...(field.deprecationReason ? { deprecated: field.deprecationReason } : {}),
        ...(field.args.length > 0
          ? { args: field.args.map((arg) => ({ name: arg.name, type: String(arg.type), ...(arg.description ? { description: arg.description } : {}), ...(arg.defaultValue !== undefined ? { default: arg.defaultValue } : {}) })) }
          : {}),
      })),
    };
  }
  if (isInputObjectType(type)) {
    return { ...base, kind: 'INPUT_OBJECT', fields: Object.values(type.getFields()).map((field) => ({ name: field.name, type: String(field.type), ...(field.description ? { description: field.description } : {}) })) };
  }
  if (isEnumType(type)) return { ...base, kind: 'ENUM', values: type.getValues().map((value) => ({ name: value.name, ...(value.description ? { description: value.description } : {}) })) };
  if (isUnionType(type)) return { ...base, kind: 'UNION', types: type.getTypes().map((member) => member.name) };
  if (isScalarType(type)) return { ...base, kind: 'SCALAR', ...(type.specifiedByURL ? { specifiedBy: type.specifiedByURL } : {}) };
  return { ...base, kind: String(getNamedType(type)) };
}
