/**
 * Builds the web app once into web/dist before the browser tests, so the
 * test server (which serves web/dist like the real one) serves this code.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export default async function setup(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  await build({ root, configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}
