/** Where uploaded files live on disk, and their removal when their message is deleted. */
import { unlink } from 'node:fs/promises';
import path from 'node:path';

/** Keys are ours (random hex): anything else is never joined into a path. */
const STORAGE_KEY = /^[a-f0-9]{32}$/;

export function uploadsDirOf(dataDir: string): string {
  return path.join(dataDir, 'uploads');
}

/** The file's path, or null for a key we did not make. */
export function storedFilePath(dataDir: string, storageKey: string): string | null {
  return STORAGE_KEY.test(storageKey) ? path.join(uploadsDirOf(dataDir), storageKey) : null;
}

/** Removes a stored file; one already gone is fine. */
export async function removeStoredFile(dataDir: string, storageKey: string): Promise<void> {
  const filePath = storedFilePath(dataDir, storageKey);
  if (!filePath) return;
  await unlink(filePath).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}
