import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

/** Serves the built dashboard. Text types carry charset=utf-8, or Vietnamese renders garbled. */
export const webPlugin = fp(
  async (app) => {
    const root = app.config.webDir;
    if (!root) return;
    if (!fs.existsSync(path.join(root, 'index.html'))) {
      app.log.warn({ webDir: root }, 'dashboard not built: run `npm run build:web`; serving the API only');
      return;
    }
    await app.register(fastifyStatic, {
      root,
      setHeaders: (res, filePath) => {
        if (/\.(html|js|css|json|svg|txt)$/.test(filePath)) {
          const type = res.getHeader('content-type');
          if (typeof type === 'string' && !/charset/i.test(type))
            res.setHeader('content-type', `${type}; charset=utf-8`);
        }
      },
    });
  },
  { name: 'web' },
);

/**
 * Dashboard pages whose last segment is an id that may contain a dot (device ids like `loa.1`): they
 * are pages, not files, so a deep link to them must get index.html too.
 */
const ID_PAGES = ['/thiet-bi/', '/thon/', '/trang-thai/'];

export function isDashboardRoute(webDir: string) {
  const enabled = webDir !== '' && fs.existsSync(path.join(webDir, 'index.html'));
  return (url: string) => {
    const pathname = url.split('?')[0]!;
    return (
      enabled &&
      !url.startsWith('/api/') &&
      !url.startsWith('/socket.io') &&
      (!/\.\w+$/.test(pathname) || ID_PAGES.some((p) => pathname.startsWith(p)))
    );
  };
}
