import { register } from 'node:module';

export interface Tracing {
  /** Sends the spans still buffered, then stops (part of a graceful shutdown). */
  shutdown(): Promise<void>;
}

type Env = Record<string, string | undefined>;

/** Probes and scrapes are not traced: they would be most of the spans and say nothing. */
const UNTRACED = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * OpenTelemetry tracing, on when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `…_TRACES_ENDPOINT`) is set:
 * a span per HTTP request (instrumentation-http, named by Express route), spans for every database
 * statement on both paths (mysql2 for the hot path, Prisma's own instrumentation for the rest), sent
 * over OTLP/HTTP in batches. The standard OTEL_* variables apply (service name, headers, sampling).
 *
 * Instrumentation patches modules as they load, so this must run before the server's modules are
 * imported: `wekeza-server` calls it first and imports the rest afterwards. The ESM loader hook
 * (import-in-the-middle) lets it see modules loaded with `import` as well as `require`.
 */
export async function startTracing(env: Env = process.env): Promise<Tracing | undefined> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return undefined;
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
  const [{ registerInstrumentations }, { HttpInstrumentation }, { ExpressInstrumentation }, mysql2, prisma] =
    await Promise.all([
      import('@opentelemetry/instrumentation'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/instrumentation-express'),
      import('@opentelemetry/instrumentation-mysql2'),
      import('@prisma/instrumentation'),
    ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': env.OTEL_SERVICE_NAME || 'wekeza-reference-server',
    }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED.has((req.url ?? '').split('?')[0] ?? ''),
      }),
      new ExpressInstrumentation(),
      new mysql2.MySQL2Instrumentation(),
      new prisma.PrismaInstrumentation(),
    ],
  });
  return { shutdown: () => provider.shutdown() };
}
