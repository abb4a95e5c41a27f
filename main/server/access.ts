// Who may talk to the server (Electron security checklist, applied to browser mode):
// a secret token in the URL (or the cookie set from it), the Host header naming this
// server (no DNS rebinding), and the Origin header equal to the server's own origin.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

/** "[::1]" for an IPv6 address, the name as is otherwise: the form a Host header uses. */
export function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export class AccessPolicy {
  private readonly hosts: Set<string>;
  private readonly anyHost: boolean;

  constructor(
    bindHost: string,
    private readonly port: number,
    private readonly token: string,
  ) {
    this.anyHost = WILDCARD.has(bindHost);
    this.hosts = new Set([...LOOPBACK, hostForUrl(bindHost).toLowerCase()]);
  }

  get cookieName(): string {
    return `mnemoscope_token_${this.port}`;
  }

  /** The Host header must name this server: a loopback name, or the host it was told to serve on. */
  hostAllowed(hostHeader: string | undefined): boolean {
    if (!hostHeader) return false;
    const m = /^(\[[0-9a-f:.]+\]|[^:]+):(\d+)$/i.exec(hostHeader.trim());
    if (!m || Number(m[2]) !== this.port) return false;
    return this.anyHost || this.hosts.has(m[1].toLowerCase());
  }

  /** The page that opened the connection must come from this server (checked against the Host it used). */
  originAllowed(origin: string | undefined, hostHeader: string | undefined, required: boolean): boolean {
    if (origin === undefined) return !required;
    if (!hostHeader || !this.hostAllowed(hostHeader)) return false;
    return origin.toLowerCase() === `http://${hostHeader.trim().toLowerCase()}`;
  }

  /** The token from `?token=` or from the cookie set when index.html was loaded with it. */
  tokenAllowed(url: URL, cookieHeader: string | undefined): boolean {
    if (tokenMatches(url.searchParams.get('token'), this.token)) return true;
    return tokenMatches(readCookie(cookieHeader, this.cookieName), this.token);
  }

  /** Set on index.html so the page's scripts, styles and WebSocket carry the token without it in every URL. */
  cookie(): string {
    return `${this.cookieName}=${this.token}; Path=/; HttpOnly; SameSite=Strict`;
  }
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
