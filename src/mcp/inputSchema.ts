import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  typeFromAST,
  valueFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/** A JSON Schema (draft 2020-12) as MCP tools advertise their input and output; only what this module and outputSchema.ts write. */
export interface JsonSchema {
  type?: string | string[];
  anyOf?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  description?: string;
  enum?: readonly string[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  format?: string;
  default?: unknown;
}

/** An object schema: what a tool's `inputSchema` must be. */
export type ObjectSchema = JsonSchema & { type: 'object'; properties: Record<string, JsonSchema> };

/**
 * The JSON Schema of an operation's variables: one property per variable, required when non-null
 * without a default, typed from the schema (enums list their values, input objects their fields),
 * described by the schema's description of the argument the variable is passed to. The schema is
 * advertised only: every call is still checked by GraphQL's own variable coercion.
 */
export function variablesSchema(schema: GraphQLSchema, operation: OperationDefinitionNode, argumentDescriptions: ReadonlyMap<string, string>): ObjectSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (type === undefined) throw new Error(`variable $${name} has a type the schema does not define`);
    const property = typeSchema(type);
    const description = argumentDescriptions.get(name);
    if (description !== undefined) property.description = description;
    if (definition.defaultValue) property.default = valueFromAST(definition.defaultValue, type);
    properties[name] = property;
    if (isNonNullType(type) && !definition.defaultValue) required.push(name);
  }
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

/** Scalars the schema defines, as JSON: dates as strings with their format, decimals as strings (for input and output alike). */
export const SCALAR_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  String: { type: 'string' },
  ID: { type: 'string' },
  Int: { type: 'integer' },
  SafeInt: { type: 'integer' },
  Float: { type: 'number' },
  Boolean: { type: 'boolean' },
  DateTime: { type: 'string', format: 'date-time' },
  Date: { type: 'string', format: 'date' },
  Decimal: { type: 'string' },
};

export function typeSchema(type: GraphQLInputType): JsonSchema {
  const nullable = !isNonNullType(type);
  const inner = isNonNullType(type) ? type.ofType : type;
  let schema: JsonSchema;
  if (isListType(inner)) schema = { type: 'array', items: typeSchema(inner.ofType) };
  else if (isEnumType(inner)) schema = { type: 'string', enum: inner.getValues().map((value) => value.name), ...describe(inner.description) };
  else if (isInputObjectType(inner)) {
    const fields = Object.values(inner.getFields());
    schema = {
      type: 'object',
      properties: Object.fromEntries(fields.map((field) => [field.name, { ...typeSchema(field.type), ...describe(field.description) }])),
      required: fields.filter((field) => isNonNullType(field.type) && field.defaultValue === undefined).map((field) => field.name),
      additionalProperties: false,
      ...describe(inner.description),
    };
  } else if (isScalarType(inner)) schema = { ...(SCALAR_SCHEMAS[inner.name] ?? { type: 'string' }) };
  else throw new Error(`unexpected input type ${String(getNamedType(inner))}`);
  // A nullable variable may be given as null (GraphQL's "explicitly no value").
  if (nullable && typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  return schema;
}

function describe(description: string | null | undefined): { description?: string } {
  return description ? { description } : {};
}
