/**
 * Serves the built web app (web/dist) with SPA fallback: any GET that is
 * not an API, socket or health path and not a file gets index.html.
 * Without a build, a short page says how to make one.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { APP_CSP } from './security.ts';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

const NO_BUILD_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>E-Cleaner Chat</title></head>
<body><h1>E-Cleaner Chat server is running</h1><p>The web app is not built yet. Run <code>npm run build -w web</code>, then reload.</p></body></html>`;

export class StaticFiles {
  constructor(private readonly root: string) {}

  /** Answers a GET/HEAD for `pathname`. */
  async serve(pathname: string, res: ServerResponse, headOnly: boolean): Promise<void> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      decoded = '/';
    }
    const candidate = path.resolve(this.root, `.${path.posix.normalize(decoded)}`);
    const inside = candidate === this.root || candidate.startsWith(this.root + path.sep);
    if (inside && !decoded.includes('\0')) {
      const info = await stat(candidate).catch(() => null);
      if (info?.isFile()) return this.sendFile(candidate, info.size, res, headOnly);
    }
    const index = path.join(this.root, 'index.html');
    const indexInfo = await stat(index).catch(() => null);
    if (indexInfo?.isFile()) return this.sendFile(index, indexInfo.size, res, headOnly);
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': APP_CSP,
      'Cache-Control': 'no-store',
    });
    res.end(headOnly ? undefined : NO_BUILD_PAGE);
  }

  private sendFile(file: string, size: number, res: ServerResponse, headOnly: boolean): void {
    const ext = path.extname(file).toLowerCase();
    const isHtml = ext === '.html';
    const hashedAsset = file.includes(`${path.sep}assets${path.sep}`);
    res.writeHead(200, {
      'Content-Type': MIME[ext] ?? 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': hashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...(isHtml ? { 'Content-Security-Policy': APP_CSP } : {}),
    });
    if (headOnly) {
      res.end();
      return;
    }
    // pipeline, not pipe: a download cut off midway must close the file too (pipe left it open for good).
    pipeline(createReadStream(file), res, () => {
      // A read error or a client gone: pipeline has destroyed both ends already.
    });
  }
}
