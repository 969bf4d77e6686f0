import { boolean, oneOf, parsed, string, type Report, type VariableReader, type VariableTable } from './read.js';
import type { OtlpProtocol, SamplerName, TracingOn } from '../observability/tracing/sdk.js';
export type { OtlpProtocol, SamplerName, TracingOn } from '../observability/tracing/sdk.js';

/**
 * OpenTelemetry traces, configured by the standard OTEL_* variables. Off unless an OTLP destination
 * is named (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_TRACES_EXPORTER=otlp):
 * unlike an SDK's default, an unset OTEL_TRACES_EXPORTER does not export to localhost:4318.
 */
export type TracingConfig = TracingOff | TracingOn;

export interface TracingOff {
  readonly enabled: false;
}

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const satisfies readonly OtlpProtocol[];

export const SAMPLERS = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const satisfies readonly SamplerName[];

/** OTLP/HTTP's default port, where OTEL_TRACES_EXPORTER=otlp alone sends (as every SDK does). */
const DEFAULT_TRACES_URL = 'http://localhost:4318/v1/traces';

/** An http(s) URL. Not echoed: an endpoint may carry credentials in its user part. */
function otlpUrl(name: string): (value: string, report: Report) => URL | undefined {
  return (value, report) => {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      // reported below
    }
    if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return url;
    report(`${name} must be an http:// or https:// URL`);
    return undefined;
  };
}

/** OTLP over HTTP only: no gRPC exporter is shipped, and a setting that cannot be honoured stops the start. */
function otlpProtocol(name: string): (value: string, report: Report) => OtlpProtocol | undefined {
  return (value, report) => {
    const lower = value.toLowerCase();
    const found = OTLP_PROTOCOLS.find((protocol) => protocol === lower);
    if (found) return found;
    const hint = lower === 'grpc' ? ' (gRPC is not supported: use http/protobuf, port 4318)' : '';
    report(`${name} must be one of ${OTLP_PROTOCOLS.join(', ')}${hint} (got "${lower}")`);
    return undefined;
  };
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The OTel list format, `key=value,key2=value2`, each part trimmed and percent-decoded. A bad entry is
 * named by its position only: the values may be collector tokens.
 */
function keyValueList(name: string, check: (key: string) => boolean): (value: string, report: Report) => Record<string, string> | undefined {
  return (value, report) => {
    const entries: Record<string, string> = {};
    const parts = value.split(',');
    for (const [index, part] of parts.entries()) {
      if (part.trim() === '') continue;
      const equals = part.indexOf('=');
      let key = '';
      let decoded: string | undefined;
      try {
        key = decodeURIComponent(part.slice(0, Math.max(equals, 0)).trim());
        decoded = equals > 0 ? decodeURIComponent(part.slice(equals + 1).trim()) : undefined;
      } catch {
        decoded = undefined;
      }
      if (decoded === undefined || key === '' || !check(key)) {
        report(`${name} must be comma-separated key=value pairs (entry ${index + 1} of ${parts.length} is not)`);
        return undefined;
      }
      entries[key] = decoded;
    }
    return entries;
  };
}

function ratio(value: string, report: Report): number | undefined {
  const number = /^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(value) ? Number(value) : Number.NaN;
  if (number >= 0 && number <= 1) return number;
  report(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 (got "${value}")`);
  return undefined;
}

interface TracingSettings {
  readonly disabled: boolean;
  readonly exporter: 'otlp' | 'none' | undefined;
  readonly endpoint: URL | undefined;
  readonly tracesEndpoint: URL | undefined;
  readonly protocol: OtlpProtocol | undefined;
  readonly tracesProtocol: OtlpProtocol | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly tracesHeaders: Readonly<Record<string, string>> | undefined;
  readonly serviceName: string;
  readonly resourceAttributes: Readonly<Record<string, string>> | undefined;
  readonly sampler: SamplerName;
  readonly samplerRatio: number;
}

export const TRACING_VARIABLES: VariableTable<TracingSettings> = {
  disabled: boolean('OTEL_SDK_DISABLED', false),
  exporter: parsed<'otlp' | 'none' | undefined>('OTEL_TRACES_EXPORTER', undefined, (value, report) => {
    const lower = value.toLowerCase();
    if (lower === 'otlp' || lower === 'none') return lower;
    report(`OTEL_TRACES_EXPORTER must be otlp or none (got "${lower}")`);
    return undefined;
  }),
  endpoint: parsed('OTEL_EXPORTER_OTLP_ENDPOINT', undefined, otlpUrl('OTEL_EXPORTER_OTLP_ENDPOINT')),
  tracesEndpoint: parsed('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', undefined, otlpUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')),
  protocol: parsed('OTEL_EXPORTER_OTLP_PROTOCOL', undefined, otlpProtocol('OTEL_EXPORTER_OTLP_PROTOCOL')),
  tracesProtocol: parsed('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', undefined, otlpProtocol('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL')),
  // Often the collector's token: `'api-key=abc'` must not become the header `'api-key` with the value `abc'`.
  headers: parsed('OTEL_EXPORTER_OTLP_HEADERS', undefined, keyValueList('OTEL_EXPORTER_OTLP_HEADERS', (key) => HEADER_NAME.test(key)), { refuseQuoted: true }),
  tracesHeaders: parsed('OTEL_EXPORTER_OTLP_TRACES_HEADERS', undefined, keyValueList('OTEL_EXPORTER_OTLP_TRACES_HEADERS', (key) => HEADER_NAME.test(key)), { refuseQuoted: true }),
  serviceName: string('OTEL_SERVICE_NAME', { default: 'braze-analytics-gateway' }),
  resourceAttributes: parsed('OTEL_RESOURCE_ATTRIBUTES', undefined, keyValueList('OTEL_RESOURCE_ATTRIBUTES', () => true)),
  sampler: oneOf<SamplerName>('OTEL_TRACES_SAMPLER', SAMPLERS, 'parentbased_always_on'),
  samplerRatio: parsed('OTEL_TRACES_SAMPLER_ARG', 1, ratio),
};

/** Every setting is checked even when tracing stays off: a typo fails the start, not the first export. */
export function readTracing(vars: VariableReader): TracingConfig {
  const settings = vars.readAll(TRACING_VARIABLES);
  const asked = settings.exporter === 'otlp' || settings.endpoint !== undefined || settings.tracesEndpoint !== undefined;
  if (settings.disabled || settings.exporter === 'none' || !asked) return Object.freeze({ enabled: false });
  return Object.freeze({
    enabled: true,
    url: settings.tracesEndpoint ?? (settings.endpoint ? tracesUrlUnder(settings.endpoint) : new URL(DEFAULT_TRACES_URL)),
    protocol: settings.tracesProtocol ?? settings.protocol ?? 'http/protobuf',
    // The traces-only headers add to (and override) the general ones, as the specification says.
    headers: Object.freeze({ ...settings.headers, ...settings.tracesHeaders }),
    serviceName: settings.serviceName,
    resourceAttributes: Object.freeze({ ...settings.resourceAttributes }),
    sampler: settings.sampler,
    samplerRatio: settings.samplerRatio,
  });
}

/** The base endpoint's traces path: `/v1/traces` below whatever path it has. */
function tracesUrlUnder(base: URL): URL {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  return url;
}
