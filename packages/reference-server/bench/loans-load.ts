/**
 * The load generator of `pnpm bench:loans`, run as a process of its own so that it never shares
 * the server's event loop: `POST /v1/loan-applications` as fast as `BENCH_CLIENTS` concurrent
 * clients can, `BENCH_COUNT` times, each with its own Idempotency-Key. Prints one JSON line with
 * the latencies' percentiles, the throughput and the decisions seen.
 */
import { randomUUID } from 'node:crypto';

interface Applicant {
  token: string;
}

const url = process.env.BENCH_URL as string;
const applicants = JSON.parse(process.env.BENCH_APPLICANTS as string) as Applicant[];
const clients = Number(process.env.BENCH_CLIENTS ?? 8);
const count = Number(process.env.BENCH_COUNT ?? 1000);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function main() {
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count) {
        const i = next++;
        const applicant = applicants[i % applicants.length] as Applicant;
        const t0 = performance.now();
        const res = await fetch(`${url}/v1/loan-applications`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${applicant.token}`,
            'content-type': 'application/json',
            'idempotency-key': randomUUID(),
          },
          body: JSON.stringify({
            product_id: 'lprod_sandbox_digital',
            amount: { amount: `${1000 + (i % 20) * 500}.00`, currency: 'KES' },
            term_months: 1 + (i % 3),
          }),
        });
        const body = (await res.json()) as { status?: string };
        latencies.push(performance.now() - t0);
        if (res.status !== 201) failures++;
        else outcomes[String(body.status)] = (outcomes[String(body.status)] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      clients,
      count,
      seconds,
      perSecond: count / seconds,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? 0,
      failures,
      outcomes,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
