// The app's places, kept in the URL's hash (#/models/small) so reloads and the browser's
// back button work, and the page's ?token=… query is never touched.

export type Route =
  | { view: 'projects' }
  | { view: 'corpora'; id: string | null }
  | { view: 'models'; id: string | null }
  /** `model`: the model the new-sweep form starts with. */
  | { view: 'sweeps'; model: string | null }
  | { view: 'results'; runId: string }
  | { view: 'compare'; runIds: string[] };

export type ViewName = Route['view'];

export const DEFAULT_ROUTE: Route = { view: 'projects' };

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** '#/models/small' → {view:'models', id:'small'}; anything unknown → the projects view. */
export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const [pathPart, query = ''] = text.split('?', 2);
  const parts = pathPart.split('/').filter((p) => p !== '').map(decode);
  const [view, id] = parts;
  switch (view) {
    case 'corpora':
      return { view: 'corpora', id: id ?? null };
    case 'models':
      return { view: 'models', id: id ?? null };
    case 'sweeps':
      return { view: 'sweeps', model: new URLSearchParams(query).get('model') || null };
    case 'results':
      return id ? { view: 'results', runId: id } : { view: 'sweeps', model: null };
    case 'compare': {
      const runs = new URLSearchParams(query).get('runs');
      return { view: 'compare', runIds: runs ? runs.split(',').filter((r) => r !== '') : [] };
    }
    default:
      return DEFAULT_ROUTE;
  }
}

/** The inverse of parseRoute. */
export function formatRoute(route: Route): string {
  const enc = encodeURIComponent;
  switch (route.view) {
    case 'projects':
      return '#/projects';
    case 'corpora':
    case 'models':
      return route.id ? `#/${route.view}/${enc(route.id)}` : `#/${route.view}`;
    case 'sweeps':
      return route.model ? `#/sweeps?model=${enc(route.model)}` : '#/sweeps';
    case 'results':
      return `#/results/${enc(route.runId)}`;
    case 'compare':
      return route.runIds.length ? `#/compare?runs=${route.runIds.map(enc).join(',')}` : '#/compare';
  }
}

/** Views that need an open project. */
export function needsProject(view: ViewName): boolean {
  return view !== 'projects';
}

/** The sidebar's entry that is current for a route (Results belongs to Sweeps). */
export function navSection(route: Route): 'projects' | 'corpora' | 'models' | 'sweeps' | 'compare' {
  return route.view === 'results' ? 'sweeps' : route.view;
}
