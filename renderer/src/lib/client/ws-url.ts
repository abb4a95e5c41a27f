// The WebSocket address of the engine that served this page, with the page's access token.

export interface PageLocation {
  protocol: string;
  host: string;
  search: string;
}

export function webSocketUrl(page: PageLocation): string {
  const scheme = page.protocol === 'https:' ? 'wss' : 'ws';
  const token = new URLSearchParams(page.search).get('token');
  // Without a token in the URL the server may still accept the cookie it set with index.html.
  return `${scheme}://${page.host}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}
