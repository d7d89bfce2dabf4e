import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/**
 * Security headers on every answer (finding 10): a strict Content-Security-Policy the dashboard passes
 * (its scripts and styles are files of its own origin; inline `style` attributes set by React go through
 * the CSSOM, which CSP does not block), `frame-ancestors 'none'` against clickjacking,
 * `X-Content-Type-Options: nosniff`, no referrer to other sites. HSTS and upgrade-insecure-requests only
 * when the hub itself serves HTTPS: on plain HTTP they would send browsers to a port that does not speak it.
 */
export const securityHeadersPlugin = fp(
  async (app) => {
    const https = app.tlsReloader !== undefined;
    // Swagger UI (/api/docs, a reference page without data of its own) needs inline scripts and styles; it
    // alone gets them. Added before helmet's own onRoute hook, which reads `routeOptions.helmet`.
    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith('/api/docs')) return;
      (route as { helmet?: unknown }).helmet = {
        contentSecurityPolicy: {
          useDefaults: false,
          directives: {
            defaultSrc: ["'self'"],
            scriptSrc: ["'self'", "'unsafe-inline'"],
            styleSrc: ["'self'", "'unsafe-inline'"],
            imgSrc: ["'self'", 'data:'],
            connectSrc: ["'self'"],
            objectSrc: ["'none'"],
            frameAncestors: ["'none'"],
          },
        },
      };
    });
    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          // The favicon and QR codes are data: URLs.
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          // socket.io and fetch go to the hub itself ('self' covers ws/wss of the same host in CSP 3).
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          ...(https && { upgradeInsecureRequests: [] }),
        },
      },
      strictTransportSecurity: https ? { maxAge: 15_552_000, includeSubDomains: false } : false,
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: 'same-origin' },
    });
  },
  { name: 'security-headers' },
);
