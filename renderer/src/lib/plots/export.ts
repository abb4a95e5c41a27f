// Exporting what a plot card shows: SVG (the chart's elements with their computed styles
// inlined, so the file looks the same outside the app and keeps the current theme), PNG
// (that SVG drawn into a canvas through an Image from a data: URL, which the CSP allows)
// and CSV (made by the card from the plotted series). A card with several charts (small
// multiples) exports them as one picture, placed as they are on screen.

const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
  'visibility',
];

const SVG_NS = 'http://www.w3.org/2000/svg';

function inlineStyles(source: Element, target: Element): void {
  const computed = getComputedStyle(source);
  const style = STYLE_PROPS.map((p) => `${p}:${computed.getPropertyValue(p)}`).join(';');
  target.setAttribute('style', style);
  const s = source.children;
  const t = target.children;
  for (let i = 0; i < s.length && i < t.length; i++) inlineStyles(s[i], t[i]);
}

/** One self-contained SVG document of the charts in `container` (every svg.mn-chart), on the plot background. */
export function serialiseCharts(container: HTMLElement): { svg: string; width: number; height: number } {
  const charts = [...container.querySelectorAll<SVGSVGElement>('svg.mn-chart')];
  const box = container.getBoundingClientRect();
  let width = 0;
  let height = 0;
  const placed = charts.map((chart) => {
    const r = chart.getBoundingClientRect();
    const x = r.left - box.left;
    const y = r.top - box.top;
    width = Math.max(width, x + r.width);
    height = Math.max(height, y + r.height);
    return { chart, x, y, w: r.width, h: r.height };
  });
  const top = Math.min(0, ...placed.map((p) => p.y));
  const left = Math.min(0, ...placed.map((p) => p.x));
  const root = document.createElementNS(SVG_NS, 'svg');
  root.setAttribute('xmlns', SVG_NS);
  root.setAttribute('width', String(Math.ceil(width - left)));
  root.setAttribute('height', String(Math.ceil(height - top)));
  root.setAttribute('viewBox', `0 0 ${Math.ceil(width - left)} ${Math.ceil(height - top)}`);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', getComputedStyle(container).getPropertyValue('--mn-plot-bg').trim() || '#ffffff');
  root.appendChild(bg);
  for (const p of placed) {
    const copy = p.chart.cloneNode(true) as SVGSVGElement;
    inlineStyles(p.chart, copy);
    // focus rings, hover guides and the like are not part of the picture
    for (const el of copy.querySelectorAll('.mn-noexport')) el.remove();
    for (const el of copy.querySelectorAll('[tabindex]')) el.removeAttribute('tabindex');
    copy.setAttribute('x', String(p.x - left));
    copy.setAttribute('y', String(p.y - top));
    copy.setAttribute('width', String(p.w));
    copy.setAttribute('height', String(p.h));
    root.appendChild(copy);
  }
  const svg = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}`;
  return { svg, width: width - left, height: height - top };
}

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** File names from titles: 'σ₁ and Σσ, run r1' → 'r1-memory'. */
export function safeFilename(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'plot';
}

export function exportSvg(container: HTMLElement, filename: string): void {
  const { svg } = serialiseCharts(container);
  downloadBlob(new Blob([svg], { type: 'image/svg+xml' }), `${safeFilename(filename)}.svg`);
}

/** The charts as a PNG Blob at `scale` × their on-screen size. */
export async function chartsToPng(container: HTMLElement, scale = 2): Promise<Blob> {
  const { svg, width, height } = serialiseCharts(container);
  const img = new Image();
  img.decoding = 'sync';
  const loaded = new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('the chart could not be drawn as an image'));
  });
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await loaded;
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
}

export async function exportPng(container: HTMLElement, filename: string): Promise<void> {
  downloadBlob(await chartsToPng(container), `${safeFilename(filename)}.png`);
}

export function exportCsv(csv: string, filename: string): void {
  downloadBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), `${safeFilename(filename)}.csv`);
}
