import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OTLP/HTTP collector in the test process: it takes POST /v1/traces in either standard encoding
 * (application/x-protobuf, application/json), answers 200 as a collector does, and decodes the spans.
 * The protobuf is read with a small reader of the wire format written here from OTLP's trace.proto
 * field numbers, so the test does not trust the exporter's own serializer to check the exporter.
 */

export type AttributeValue = string | number | boolean | readonly AttributeValue[] | undefined;

export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client. */
  readonly kind: number;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly events: readonly { readonly name: string; readonly attributes: Readonly<Record<string, AttributeValue>> }[];
  /** OTLP's StatusCode: 0 unset, 1 ok, 2 error. */
  readonly status: { readonly code: number; readonly message: string };
  readonly resource: Readonly<Record<string, AttributeValue>>;
  readonly scope: string;
}

export interface ReceivedExport {
  readonly path: string;
  readonly contentType: string;
  readonly headers: IncomingHttpHeaders;
  /** The body as sent, for checks that no secret is anywhere in it. */
  readonly body: Buffer;
}

export interface OtlpReceiver {
  /** The base endpoint, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
  readonly url: URL;
  readonly exports: ReceivedExport[];
  readonly spans: ReceivedSpan[];
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const exports: ReceivedExport[] = [];
  const spans: ReceivedSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const contentType = request.headers['content-type'] ?? '';
      exports.push({ path: request.url ?? '', contentType, headers: request.headers, body });
      const json = contentType.startsWith('application/json');
      spans.push(...(json ? decodeJson(body) : decodeProtobuf(body)));
      response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      // An empty ExportTraceServiceResponse: full success.
      response.end(json ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    exports,
    spans,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- protobuf (OTLP trace.proto, common.proto, resource.proto) ----

interface Field {
  readonly number: number;
  readonly varint?: bigint;
  readonly fixed64?: Buffer;
  readonly bytes?: Buffer;
}

function* fields(buffer: Buffer): Generator<Field> {
  let at = 0;
  const varint = (): bigint => {
    let value = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buffer[at++];
      if (byte === undefined) throw new Error('truncated varint');
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7n;
    }
  };
  while (at < buffer.length) {
    const tag = Number(varint());
    const number = tag >>> 3;
    switch (tag & 7) {
      case 0:
        yield { number, varint: varint() };
        break;
      case 1:
        yield { number, fixed64: buffer.subarray(at, (at += 8)) };
        break;
      case 2: {
        const length = Number(varint());
        yield { number, bytes: buffer.subarray(at, (at += length)) };
        break;
      }
      case 5:
        at += 4;
        break;
      default:
        throw new Error(`unexpected wire type ${tag & 7}`);
    }
  }
}

function decodeProtobuf(body: Buffer): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of fields(body)) {
    if (resourceSpans.number !== 1 || !resourceSpans.bytes) continue;
    let resource: Record<string, AttributeValue> = {};
    const scopes: Buffer[] = [];
    for (const field of fields(resourceSpans.bytes)) {
      if (field.number === 1 && field.bytes) resource = keyValues(field.bytes, 1);
      if (field.number === 2 && field.bytes) scopes.push(field.bytes);
    }
    for (const scopeSpans of scopes) {
      let scope = '';
      for (const field of fields(scopeSpans)) {
        if (field.number === 1 && field.bytes) for (const part of fields(field.bytes)) if (part.number === 1) scope = text(part.bytes);
      }
      for (const field of fields(scopeSpans)) if (field.number === 2 && field.bytes) spans.push(span(field.bytes, resource, scope));
    }
  }
  return spans;
}

function span(buffer: Buffer, resource: Record<string, AttributeValue>, scope: string): ReceivedSpan {
  const decoded = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: {} as Record<string, AttributeValue>,
    events: [] as ReceivedSpan['events'][number][],
    status: { code: 0, message: '' },
    resource,
    scope,
  };
  for (const field of fields(buffer)) {
    switch (field.number) {
      case 1:
        decoded.traceId = hex(field.bytes);
        break;
      case 2:
        decoded.spanId = hex(field.bytes);
        break;
      case 4:
        decoded.parentSpanId = hex(field.bytes);
        break;
      case 5:
        decoded.name = text(field.bytes);
        break;
      case 6:
        decoded.kind = Number(field.varint ?? 0n);
        break;
      case 7:
        decoded.startTimeUnixNano = field.fixed64?.readBigUInt64LE() ?? 0n;
        break;
      case 8:
        decoded.endTimeUnixNano = field.fixed64?.readBigUInt64LE() ?? 0n;
        break;
      case 9:
        Object.assign(decoded.attributes, keyValue(field.bytes));
        break;
      case 11: {
        let name = '';
        const attributes: Record<string, AttributeValue> = {};
        for (const part of fields(field.bytes ?? Buffer.alloc(0))) {
          if (part.number === 2) name = text(part.bytes);
          if (part.number === 3) Object.assign(attributes, keyValue(part.bytes));
        }
        decoded.events.push({ name, attributes });
        break;
      }
      case 15:
        for (const part of fields(field.bytes ?? Buffer.alloc(0))) {
          if (part.number === 2) decoded.status.message = text(part.bytes);
          if (part.number === 3) decoded.status.code = Number(part.varint ?? 0n);
        }
        break;
    }
  }
  return decoded;
}

/** The repeated KeyValue field `number` of a message. */
function keyValues(buffer: Buffer, number: number): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const field of fields(buffer)) if (field.number === number) Object.assign(out, keyValue(field.bytes));
  return out;
}

function keyValue(buffer: Buffer | undefined): Record<string, AttributeValue> {
  let key = '';
  let value: AttributeValue;
  for (const field of fields(buffer ?? Buffer.alloc(0))) {
    if (field.number === 1) key = text(field.bytes);
    if (field.number === 2) value = anyValue(field.bytes);
  }
  return { [key]: value };
}

function anyValue(buffer: Buffer | undefined): AttributeValue {
  for (const field of fields(buffer ?? Buffer.alloc(0))) {
    switch (field.number) {
      case 1:
        return text(field.bytes);
      case 2:
        return field.varint === 1n;
      case 3:
        return Number(BigInt.asIntN(64, field.varint ?? 0n));
      case 4:
        return field.fixed64?.readDoubleLE();
      case 5: {
        const values: AttributeValue[] = [];
        for (const item of fields(field.bytes ?? Buffer.alloc(0))) if (item.number === 1) values.push(anyValue(item.bytes));
        return values;
      }
    }
  }
  return undefined;
}

function text(bytes: Buffer | undefined): string {
  return bytes?.toString('utf8') ?? '';
}

function hex(bytes: Buffer | undefined): string {
  return bytes?.toString('hex') ?? '';
}

// ---- OTLP/JSON ----

interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: JsonAnyValue[] };
}

interface JsonKeyValue {
  key: string;
  value: JsonAnyValue;
}

interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: JsonKeyValue[];
  events?: { name: string; attributes?: JsonKeyValue[] }[];
  status?: { code?: number; message?: string };
}

interface JsonRequest {
  resourceSpans?: { resource?: { attributes?: JsonKeyValue[] }; scopeSpans?: { scope?: { name?: string }; spans?: JsonSpan[] }[] }[];
}

function decodeJson(body: Buffer): ReceivedSpan[] {
  const request = JSON.parse(body.toString('utf8')) as JsonRequest;
  return (request.resourceSpans ?? []).flatMap(({ resource, scopeSpans = [] }) =>
    scopeSpans.flatMap(({ scope, spans = [] }) =>
      spans.map(
        (one): ReceivedSpan => ({
          // OTLP/JSON writes ids as hex (not base64, as protobuf's JSON mapping would).
          traceId: one.traceId.toLowerCase(),
          spanId: one.spanId.toLowerCase(),
          parentSpanId: (one.parentSpanId ?? '').toLowerCase(),
          name: one.name,
          kind: one.kind,
          startTimeUnixNano: BigInt(one.startTimeUnixNano),
          endTimeUnixNano: BigInt(one.endTimeUnixNano),
          attributes: jsonAttributes(one.attributes),
          events: (one.events ?? []).map((event) => ({ name: event.name, attributes: jsonAttributes(event.attributes) })),
          status: { code: one.status?.code ?? 0, message: one.status?.message ?? '' },
          resource: jsonAttributes(resource?.attributes),
          scope: scope?.name ?? '',
        }),
      ),
    ),
  );
}

function jsonAttributes(list: JsonKeyValue[] | undefined): Record<string, AttributeValue> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, jsonValue(value)]));
}

function jsonValue(value: JsonAnyValue): AttributeValue {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(jsonValue);
  return undefined;
}
