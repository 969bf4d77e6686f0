import { ROOT_CONTEXT, type TextMapGetter } from '@opentelemetry/api';
import { setGlobalErrorHandler, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Logger } from '../logger.js';
import { RequestTrace } from './requestTrace.js';
import { brazeServer, type Tracing } from './tracing.js';

/** The OTLP/HTTP encodings the exporters ship (gRPC is refused at start). */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** The OTEL_TRACES_SAMPLER values the SDK is started with. */
export type SamplerName = 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio' | 'always_on' | 'always_off' | 'traceidratio';

/** Tracing on, as config built it from the OTEL_* variables. */
export interface TracingOn {
  readonly enabled: true;
  /** Where spans are POSTed: the traces endpoint as given, or the base endpoint + `/v1/traces`. */
  readonly url: URL;
  readonly protocol: OtlpProtocol;
  /** Sent with every export; may carry a collector's token, so never logged. */
  readonly headers: Readonly<Record<string, string>>;
  readonly serviceName: string;
  /** OTEL_RESOURCE_ATTRIBUTES, under service.name (OTEL_SERVICE_NAME wins over a service.name there). */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly sampler: SamplerName;
  /** The ratio of the *traceidratio samplers, in [0, 1]. */
  readonly samplerRatio: number;
}

/** The instrumentation scope every span of the gateway is reported under. */
export const TRACER_NAME = 'braze-analytics-gateway';

/** At shutdown, how long buffered spans may take to reach the collector before the process goes anyway. */
const SHUTDOWN_FLUSH_MS = 5_000;

const HEADERS_GETTER: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

/**
 * Starts the SDK: a tracer provider of its own (nothing is registered globally, so two gateways in one
 * process, as in tests, never trace each other's requests), batching spans to an OTLP/HTTP collector.
 * Only the configuration's values are used: the exporter's headers may hold a collector token, which is
 * never logged.
 */
export function startTracing(config: TracingOn, brazeEndpoint: URL, logger: Logger): Tracing {
  const options = { url: config.url.href, headers: { ...config.headers } };
  const exporter = config.protocol === 'http/json' ? new OtlpJsonExporter(options) : new OtlpProtobufExporter(options);
  const provider = new BasicTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ ...config.resourceAttributes, [ATTR_SERVICE_NAME]: config.serviceName })),
    sampler: samplerFor(config),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  // Failed exports surface here (the SDK's default only reaches a diagnostic logger nobody set up).
  // The message may quote the collector's answer, never the request's headers.
  setGlobalErrorHandler((error) => logger.warn('trace export failed', { reason: error instanceof Error ? error.message : String(error) }));
  const propagator = new W3CTraceContextPropagator();
  logger.info(`tracing: exporting spans to ${config.url.origin} (${config.protocol}, sampler ${config.sampler})`);

  let stopping: Promise<void> | undefined;
  const tracing: Tracing = {
    tracer: provider.getTracer(TRACER_NAME),
    startRequest: (headers) => new RequestTrace(tracing, headers),
    extract: (headers) => propagator.extract(ROOT_CONTEXT, headers, HEADERS_GETTER),
    braze: brazeServer(brazeEndpoint),
    shutdown: () =>
      (stopping ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          logger.warn(`tracing: the collector did not take the last spans within ${SHUTDOWN_FLUSH_MS} ms`);
          resolve();
        }, SHUTDOWN_FLUSH_MS);
        timer.unref();
        provider.shutdown().then(
          () => resolve(),
          (error: unknown) => {
            logger.warn('tracing: flushing spans at shutdown failed', { reason: error instanceof Error ? error.message : String(error) });
            resolve();
          },
        ).finally(() => clearTimeout(timer));
      })),
  };
  return tracing;
}

function samplerFor({ sampler, samplerRatio }: Pick<TracingOn, 'sampler' | 'samplerRatio'>): Sampler {
  switch (sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(samplerRatio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(samplerRatio) });
  }
}
