// Whether a frame shows our renderer's page: the same file URL, whatever route (#…) or
// query it carries. main.ts checks every IPC sender and every navigation with it.

export function isRendererPage(rendererUrl: string, url: string | undefined): boolean {
  return typeof url === 'string' && url.split('#')[0].split('?')[0] === rendererUrl;
}
