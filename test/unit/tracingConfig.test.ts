import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type TracingConfig } from '../../src/config/index.js';

const HOST = { descriptorLimit: undefined };

function tracing(env: Record<string, string>): TracingConfig {
  return loadConfig(env, HOST).tracing;
}

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env, HOST);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('OTEL_* tracing settings', () => {
  it('are off with nothing set, and with only settings that name no destination', () => {
    expect(tracing({})).toEqual({ enabled: false });
    expect(tracing({ OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_HEADERS: 'a=b' })).toEqual({ enabled: false });
  });

  it('turn on with a base endpoint: spans go to its /v1/traces, over http/protobuf, every trace sampled unless the caller says not', () => {
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({
      enabled: true,
      url: new URL('http://collector:4318/v1/traces'),
      protocol: 'http/protobuf',
      headers: {},
      serviceName: 'braze-analytics-gateway',
      resourceAttributes: {},
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    });
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com/prefix/' })).toMatchObject({ url: new URL('https://otel.example.com/prefix/v1/traces') });
  });

  it('turn on with a traces endpoint, used as given, or OTEL_TRACES_EXPORTER=otlp alone (localhost:4318)', () => {
    expect(tracing({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://other:4318' })).toMatchObject({
      enabled: true,
      url: new URL('http://collector:4318/custom'),
    });
    expect(tracing({ OTEL_TRACES_EXPORTER: 'otlp' })).toMatchObject({ enabled: true, url: new URL('http://localhost:4318/v1/traces') });
  });

  it('stay off with OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none, whatever else is set', () => {
    expect(tracing({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({ enabled: false });
    expect(tracing({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({ enabled: false });
  });

  it('read the protocol, headers (traces-only ones winning), service name, resource attributes and sampler', () => {
    expect(
      tracing({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20abc, x-tenant = one',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=two',
        OTEL_SERVICE_NAME: 'analytics-gateway-eu',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,service.namespace=analytics',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }),
    ).toEqual({
      enabled: true,
      url: new URL('http://collector:4318/v1/traces'),
      protocol: 'http/json',
      headers: { Authorization: 'Bearer abc', 'x-tenant': 'two' },
      serviceName: 'analytics-gateway-eu',
      resourceAttributes: { 'deployment.environment.name': 'prod', 'service.namespace': 'analytics' },
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
    });
  });

  it('refuse what cannot be honoured, each problem named, never echoing a header or an endpoint', () => {
    const problems = problemsOf({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://user:secret-password@collector/v1/traces',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'thrift',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer secret-token-value,broken-entry',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'bad header=secret-token-value',
      OTEL_RESOURCE_ATTRIBUTES: 'a=%E0%A4%A',
      OTEL_TRACES_EXPORTER: 'zipkin',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_TRACES_SAMPLER_ARG: '1.5',
      OTEL_SDK_DISABLED: 'maybe',
    });
    expect(problems).toEqual([
      'OTEL_SDK_DISABLED must be true or false (got "maybe")',
      'OTEL_TRACES_EXPORTER must be otlp or none (got "zipkin")',
      'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL',
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http:// or https:// URL',
      'OTEL_EXPORTER_OTLP_PROTOCOL must be one of http/protobuf, http/json (gRPC is not supported: use http/protobuf, port 4318) (got "grpc")',
      'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL must be one of http/protobuf, http/json (got "thrift")',
      'OTEL_EXPORTER_OTLP_HEADERS must be comma-separated key=value pairs (entry 2 of 2 is not)',
      'OTEL_EXPORTER_OTLP_TRACES_HEADERS must be comma-separated key=value pairs (entry 1 of 1 is not)',
      'OTEL_RESOURCE_ATTRIBUTES must be comma-separated key=value pairs (entry 1 of 1 is not)',
      'OTEL_TRACES_SAMPLER must be one of parentbased_always_on, parentbased_always_off, parentbased_traceidratio, always_on, always_off, traceidratio (got "sometimes")',
      'OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 (got "1.5")',
    ]);
    expect(problems.join('\n')).not.toMatch(/secret/);
  });
});
