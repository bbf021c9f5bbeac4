import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8000);
    expect(c.seedDemo).toBe(true);
    expect(c.limits).toMatchObject({ maxContentChars: 4000, maxFrameBytes: 65536, sendRateLimit: 30, sendRateWindowMs: 10000, maxSocketsPerUser: 10 });
    expect(c.limits).toMatchObject({ uploadQuotaBytes: 200 * 1024 * 1024, uploadQuotaWindowMs: 24 * 3_600_000 });
    // The contract's own numbers (§4, §6, §7, §8): an outside suite tests them with no settings.
    expect(c.limits).toMatchObject({ maxAttachmentBytes: 10 * 1024 * 1024, typingExpiryMs: 6000, maxBufferedBytes: 1024 * 1024 });
    expect(c.databaseUrl).toBeUndefined();
  });

  it('reads overrides and lists', () => {
    const c = loadConfig({ PORT: '9000', SEED_DEMO: '0', ALLOWED_ORIGINS: 'https://a.example/, https://b.example', MAX_CONTENT_CHARS: '100', DATABASE_URL: ' ' });
    expect(c.port).toBe(9000);
    expect(c.seedDemo).toBe(false);
    expect(c.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(c.limits.maxContentChars).toBe(100);
    expect(c.databaseUrl).toBeUndefined();
  });

  it('stops on a bad value with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ MAX_SOCKETS_PER_USER: '0' })).toThrow(/MAX_SOCKETS_PER_USER/);
    expect(() => loadConfig({ SEED_DEMO: 'maybe' })).toThrow(/SEED_DEMO/);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'app.example' })).toThrow(/ALLOWED_ORIGINS: "app.example" is not an origin/);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'https://app.example/chat' })).toThrow(/ALLOWED_ORIGINS/);
  });

  it('writes allowed origins as browsers send them, so a capital letter or a default port still matches', () => {
    const c = loadConfig({ ALLOWED_ORIGINS: 'https://App.Example:443, http://admin.example:8080/' });
    expect(c.allowedOrigins).toEqual(['https://app.example', 'http://admin.example:8080']);
  });
});
