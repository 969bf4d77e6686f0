import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach } from 'vitest';
import type { TestGateway } from './gateway.js';

/** The gateway's /mcp beside its /graphql. */
export function mcpUrl(gateway: TestGateway): URL {
  return new URL('/mcp', gateway.url);
}

/** The SDK's own client over Streamable HTTP, connected (initialized) to the gateway's /mcp with `headers`. */
export async function connectMcp(gateway: TestGateway, headers: Record<string, string> = gateway.authHeaders): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(mcpUrl(gateway), { requestInit: { headers } });
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

/** `connect(gateway)`: a connected client, closed after each test of the file that calls this. */
export function mcpClientsClosedAfterEach(): (gateway: TestGateway) => Promise<Client> {
  const clients: Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  return async (gateway) => {
    const { client } = await connectMcp(gateway);
    clients.push(client);
    return client;
  };
}

/** A tool result's JSON body (the text content the gateway writes, the same as structuredContent). */
export function bodyOf(result: unknown): Record<string, unknown> {
  const content = (result as CallToolResult).content;
  const text = content.find((part) => part.type === 'text');
  if (!text || text.type !== 'text') throw new Error('no text content');
  return JSON.parse(text.text) as Record<string, unknown>;
}
