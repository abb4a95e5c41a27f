// Draws the Mnemoscope icon (bars that decay with delay, as singular values do, under a
// fading arc) and writes build/icon.png (1024²), build/icons/<n>x<n>.png for Linux and
// build/icon.ico (PNG-compressed entries) for Windows. electron-builder converts icon.png
// to .icns on macOS. Run: node build/make-icons.mjs
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Coverage-based shapes in unit coordinates (0..1).
function insideRoundedSquare(x, y, r) {
  const m = 0.06, lo = m + r, hi = 1 - m - r;
  const cx = Math.min(Math.max(x, lo), hi), cy = Math.min(Math.max(y, lo), hi);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= m && x <= 1 - m && y >= m && y <= 1 - m;
}

function colourAt(x, y) {
  if (!insideRoundedSquare(x, y, 0.18)) return [0, 0, 0, 0];
  let c = [22 + 30 * y, 36 + 30 * y, 64 + 40 * y, 255]; // deep blue, lighter at the bottom
  // Eight bars: heights decay like exp(-τ/2.2) above a baseline.
  const base = 0.8, left = 0.2, width = 0.6, bars = 8, gap = 0.018;
  const bw = width / bars;
  const k = Math.floor((x - left) / bw);
  if (k >= 0 && k < bars && y <= base && x - left - k * bw > gap && x - left - (k + 1) * bw < -gap) {
    const h = 0.56 * Math.exp(-k / 2.2) + 0.03;
    if (y >= base - h) c = [245 - 8 * k, 176 - 6 * k, 66 + 14 * k, 255];
  }
  // The lens: a ring around the first bars.
  const d = Math.hypot(x - 0.33, y - 0.42);
  if (Math.abs(d - 0.19) < 0.022) c = [236, 240, 245, 255];
  return c;
}

function render(size) {
  const ss = 4; // supersampling per axis
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = colourAt((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size);
          const a = c[3] / 255;
          acc[0] += c[0] * a; acc[1] += c[1] * a; acc[2] += c[2] * a; acc[3] += c[3];
        }
      }
      const n = ss * ss, alpha = acc[3] / n, o = (py * size + px) * 4;
      const af = alpha / 255 || 1;
      rgba[o] = Math.round(acc[0] / n / af);
      rgba[o + 1] = Math.round(acc[1] / n / af);
      rgba[o + 2] = Math.round(acc[2] / n / af);
      rgba[o + 3] = Math.round(alpha);
    }
  }
  return encodePng(size, rgba);
}

mkdirSync(path.join(here, 'icons'), { recursive: true });
writeFileSync(path.join(here, 'icon.png'), render(1024));
const icoSizes = [16, 32, 48, 64, 128, 256];
const pngs = new Map();
for (const s of [16, 32, 48, 64, 128, 256, 512]) {
  const png = render(s);
  pngs.set(s, png);
  writeFileSync(path.join(here, 'icons', `${s}x${s}.png`), png);
}
// ICO with PNG-compressed images (supported since Windows Vista).
const header = Buffer.alloc(6 + 16 * icoSizes.length);
header.writeUInt16LE(0, 0); header.writeUInt16LE(1, 2); header.writeUInt16LE(icoSizes.length, 4);
let offset = header.length;
icoSizes.forEach((s, i) => {
  const e = 6 + 16 * i, png = pngs.get(s);
  header[e] = s === 256 ? 0 : s; header[e + 1] = s === 256 ? 0 : s;
  header.writeUInt16LE(1, e + 4); header.writeUInt16LE(32, e + 6);
  header.writeUInt32LE(png.length, e + 8); header.writeUInt32LE(offset, e + 12);
  offset += png.length;
});
writeFileSync(path.join(here, 'icon.ico'), Buffer.concat([header, ...icoSizes.map((s) => pngs.get(s))]));
console.log('icons written to', here);
