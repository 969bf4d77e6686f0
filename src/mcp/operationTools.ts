import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  getNamedType,
  isObjectType,
  Kind,
  parse,
  print,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { variablesSchema } from './inputSchema.js';
import { resultSchema } from './outputSchema.js';
import type { McpTool } from './tool.js';
import { answerResult, brazeUse } from './toolResults.js';

/** A tool's name as MCP allows it (letters, digits, `_`, `-`, `.`; at most 128). */
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * One tool per `.graphql` file of `folder`: its one named query, its name in snake_case (`KpiSeries`
 * → `kpi_series`), its input the JSON Schema of its variables, its description the file's leading
 * comment followed by the schema's descriptions of the root fields it asks. A file that does not
 * parse, holds more or less than one named query, or fails validation against the schema stops the
 * start with its name and the reason: a curated tool that cannot run must not be offered.
 */
export function loadOperationTools(schema: GraphQLSchema, folder: string): McpTool[] {
  let files: string[];
  try {
    files = readdirSync(folder).filter((file) => file.endsWith('.graphql')).sort();
  } catch (error) {
    throw new Error(`MCP operations folder cannot be read (${folder}: ${(error as { code?: string }).code ?? 'read failed'})`);
  }
  if (files.length === 0) throw new Error(`MCP operations folder holds no .graphql file (${folder})`);
  const tools = files.map((file) => operationTool(schema, file, readFileSync(join(folder, file), 'utf8')));
  const seen = new Set<string>();
  for (const tool of tools) {
    if (seen.has(tool.name)) throw new Error(`MCP operations: two operations make the tool ${tool.name}`);
    seen.add(tool.name);
  }
  return tools;
}

export function operationTool(schema: GraphQLSchema, file: string, text: string): McpTool {
  let document: DocumentNode;
  try {
    document = parse(text);
  } catch (error) {
    throw new Error(`MCP operation ${file} does not parse: ${(error as Error).message}`);
  }
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const [operation] = operations;
  if (operations.length !== 1 || operation === undefined || operation.operation !== 'query' || !operation.name) {
    throw new Error(`MCP operation ${file} must hold exactly one named query`);
  }
  const problems = validate(schema, document);
  if (problems.length > 0) throw new Error(`MCP operation ${file} is not valid against the schema: ${problems.map((p) => p.message).join('; ')}`);
  const name = snakeCase(operation.name.value);
  if (!TOOL_NAME.test(name)) throw new Error(`MCP operation ${file}: ${name} is not a tool name MCP allows`);
  const { rootFields, argumentDescriptions } = describeUses(schema, document);
  const description = [leadingComment(text), ...rootFields].filter((part) => part !== '').join('\n\n');
  const query = print(document);
  const operationName = operation.name.value;
  return {
    name,
    description,
    inputSchema: variablesSchema(schema, operation, argumentDescriptions),
    outputSchema: resultSchema(schema, operation, document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)),
    spendsBraze: true,
    async run(args, call) {
      const answer = await call.graphql({ query, variables: args, operationName });
      return answerResult(answer, brazeUse(answer.cost, call.budget.left));
    },
  };
}

/** `KpiSeries` → `kpi_series`, `topCampaignsByConversions` → `top_campaigns_by_conversions`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** The `#` lines the file starts with, without the marks: what the operation is for, in its author's words. */
function leadingComment(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('#')) break;
    lines.push(trimmed.replace(/^#\s?/, ''));
  }
  return lines.join(' ').trim();
}

/**
 * The schema's word on what the operation asks: each root field's description (`kpiSeries: …`), and,
 * per variable, the description of the argument it is passed to (its first use).
 */
function describeUses(schema: GraphQLSchema, document: DocumentNode): { rootFields: string[]; argumentDescriptions: Map<string, string> } {
  const rootFields: string[] = [];
  const argumentDescriptions = new Map<string, string>();
  const typeInfo = new TypeInfo(schema);
  const queryType = schema.getQueryType();
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && queryType && parent === queryType && field?.description && isObjectType(getNamedType(parent))) {
          const entry = `${field.name}: ${field.description}`;
          if (!rootFields.includes(entry)) rootFields.push(entry);
        }
      },
      Argument(node) {
        const argument = typeInfo.getArgument();
        if (node.value.kind === Kind.VARIABLE && argument?.description && !argumentDescriptions.has(node.value.name.value)) {
          argumentDescriptions.set(node.value.name.value, argument.description);
        }
      },
    }),
  );
  return { rootFields, argumentDescriptions };
}
