/**
 * The public pages' data, asked for before the app's bundle has arrived (issue 14). On a slow phone the
 * bundle takes longer to download than the API takes to answer, so `src/early.ts` (a tiny script that runs
 * first) starts the page's GETs at once (the list and its category counts, or the expert and the slots), and
 * the app's first request for the same URL takes the answer already on its way instead of asking again.
 * Public GETs only: nothing that carries a token.
 */
import { apiUrl, JSON_GET, type Query } from './apiUrl';
import { categoriesRequest, expertPath, expertSearch, expertsRequest, slotsRequest } from './publicPaths';

/** An answer not taken this soon is not used: a later request asks afresh. */
const FRESH_MS = 10_000;

const started = new Map<string, { at: number; response: Promise<Response> }>();

/** The expert page, as the router declares it (`experts/:expertId`). */
const EXPERT_PAGE = /^\/experts\/([^/]+)\/?$/;

const url = ({ path, query }: { path: string; query: Query }) => apiUrl(path, query);

/** The URLs a first visit to `location` needs at once. */
export function earlyUrls(location: Pick<Location, 'pathname' | 'search'>): string[] {
  const params = new URLSearchParams(location.search);
  if (location.pathname === '/') {
    const search = expertSearch(params);
    return [url(expertsRequest(search)), url(categoriesRequest(search.q))];
  }
  const match = EXPERT_PAGE.exec(location.pathname);
  let expertId: string;
  try {
    expertId = decodeURIComponent(match?.[1] ?? '');
  } catch {
    return []; // a malformed link: the app shows its not-found page
  }
  if (!expertId) return [];
  return [apiUrl(expertPath(expertId)), url(slotsRequest(expertId, undefined, params.get('from') ?? ''))];
}

export function startEarlyRequests(location: Pick<Location, 'pathname' | 'search'>): void {
  for (const address of earlyUrls(location)) {
    const response = fetch(address, JSON_GET);
    response.catch(() => undefined); // a failure is the app's to report, when its own request retries
    started.set(address, { at: performance.now(), response });
  }
}

/** The early answer for `url`, once; undefined when none was started or it is too old to trust. */
export function takeEarlyResponse(url: string): Promise<Response> | undefined {
  const early = started.get(url);
  started.delete(url);
  return early && performance.now() - early.at < FRESH_MS ? early.response : undefined;
}
