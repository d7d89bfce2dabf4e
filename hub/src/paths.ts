import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The hub package's own folder (hub/), found by walking up from this file to the nearest package.json:
 * the same answer whether the code runs from source (hub/src/..., tsx) or built (hub/dist/server.js, where
 * every module is one file and relative paths from import.meta.url no longer match the source tree).
 */
function findPackageDir(from: string): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(from, '..');
    dir = parent;
  }
  return dir;
}

export const HUB_PACKAGE_DIR = findPackageDir(path.dirname(fileURLToPath(import.meta.url)));

/** The dashboard as `npm run build:web` (and `npm install`) builds it: served when HUB_WEB_DIR is unset. */
export const BUILT_WEB_DIR = path.resolve(HUB_PACKAGE_DIR, '../web/dist');
