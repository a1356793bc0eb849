import type { Page } from '@wekeza/sdk/contract';

export interface PageRequest {
  limit: number;
  startingAfter: string | undefined;
}

export function pageRequest(query: {
  limit?: string | undefined;
  starting_after?: string | undefined;
}): PageRequest {
  return { limit: query.limit ? Number(query.limit) : 20, startingAfter: query.starting_after };
}

/** Cuts a `limit + 1` fetch down to a page: the extra row only says whether there is more. */
export function toPage<Row, Out>(
  rows: Row[],
  limit: number,
  idOf: (row: Row) => string,
  render: (row: Row) => Out,
): Page<Out> {
  const hasMore = rows.length > limit;
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data: data.map(render), has_more: hasMore, next_cursor: hasMore && last ? idOf(last) : null };
}
