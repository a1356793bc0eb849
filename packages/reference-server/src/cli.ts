#!/usr/bin/env node
import { startTracing } from './observability/tracing.ts';

/*
 * `wekeza-server`. Tracing (when OTEL_EXPORTER_OTLP_ENDPOINT is set) starts before the server's
 * modules are imported, so that its instrumentation sees Express, mysql2 and Prisma load.
 */
async function main(): Promise<void> {
  const tracing = await startTracing(process.env);
  const { run, failed } = await import('./commands.ts');
  await run(process.argv[2], tracing).catch(failed);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
