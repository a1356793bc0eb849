import { WekezaError } from './errors.ts';

/** `limit` (1..100, default 20) and `startingAfter` (the last id of the previous page). */
export interface ListParams {
  limit?: number;
  startingAfter?: string;
}

/** Loads the page that starts after `cursor` (undefined: the first page). */
export type PageLoader<T> = (startingAfter: string | undefined) => Promise<Page<T>>;

/** One page of a list, with the way to the next one. Async-iterable over its items and all later pages. */
export class Page<T> implements AsyncIterable<T> {
  readonly data: T[];
  readonly hasMore: boolean;
  readonly nextCursor: string | null;
  readonly #load: PageLoader<T>;

  constructor(data: T[], hasMore: boolean, nextCursor: string | null, load: PageLoader<T>) {
    this.data = data;
    this.hasMore = hasMore;
    this.nextCursor = nextCursor;
    this.#load = load;
  }

  /** True when the server says there is more and gave a cursor to get it. */
  hasNextPage(): boolean {
    return this.hasMore && this.nextCursor !== null;
  }

  /** The following page; throws WekezaError when there is none (check `hasNextPage()`). */
  getNextPage(): Promise<Page<T>> {
    if (!this.hasNextPage() || this.nextCursor === null) {
      return Promise.reject(new WekezaError('No next page; check hasNextPage() first'));
    }
    return this.#load(this.nextCursor);
  }

  /** This page and every later one, fetched as the loop goes. */
  async *iterPages(): AsyncGenerator<Page<T>, void, undefined> {
    let page: Page<T> = this;
    yield page;
    while (page.hasNextPage()) {
      page = await page.getNextPage();
      yield page;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const page of this.iterPages()) yield* page.data;
  }
}

/**
 * What a list method returns: await it for the first `Page`, or `for await` over it for every item
 * across pages. The first request is sent when it is first awaited or iterated, and only once.
 */
export class PagePromise<T> implements PromiseLike<Page<T>>, AsyncIterable<T> {
  #first: Promise<Page<T>> | undefined;
  readonly #load: () => Promise<Page<T>>;

  constructor(load: () => Promise<Page<T>>) {
    this.#load = load;
  }

  #page(): Promise<Page<T>> {
    this.#first ??= this.#load();
    return this.#first;
  }

  // biome-ignore lint/suspicious/noThenProperty: a PagePromise is awaitable on purpose.
  then<R1 = Page<T>, R2 = never>(
    onfulfilled?: ((value: Page<T>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#page().then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<Page<T> | R> {
    return this.#page().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<Page<T>> {
    return this.#page().finally(onfinally);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    yield* await this.#page();
  }
}
