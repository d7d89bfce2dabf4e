import { CONTROL_CHARACTERS_MESSAGE, PLAIN_TEXT_PATTERN } from '@commune-hub/protocol';
import type { FastifyError, FastifyInstance } from 'fastify';
import { HubError } from '../errors.ts';

/**
 * One error handler for the whole API: HubErrors keep their code and message, schema failures become
 * HUB_ERR_VALIDATION with fastify's description, and anything else is a 500 whose internals stay in the log.
 */
export function installErrorHandler(app: FastifyInstance, spaFallback?: (url: string) => boolean): void {
  app.setErrorHandler((error: FastifyError | HubError, request, reply) => {
    if (error instanceof HubError) {
      if (error.statusCode >= 500) request.log.error({ err: error }, 'request failed');
      return reply
        .code(error.statusCode)
        .send({ statusCode: error.statusCode, code: error.code, error: error.name, message: error.message });
    }
    const fe = error as FastifyError;
    // Control characters or bidi overrides in a name, village or tag: said plainly, not as a regex.
    const control = fe.validation?.find(
      (v) => v.keyword === 'pattern' && (v.params as { pattern?: string }).pattern === PLAIN_TEXT_PATTERN,
    );
    if (control) {
      const field = `${fe.validationContext ?? 'body'}${control.instancePath}`;
      return reply.code(400).send({
        statusCode: 400,
        code: 'HUB_ERR_CONTROL_CHARACTERS',
        error: 'Bad Request',
        message: `${field}: ${CONTROL_CHARACTERS_MESSAGE}`,
      });
    }
    if (fe.validation) {
      return reply
        .code(400)
        .send({ statusCode: 400, code: 'HUB_ERR_VALIDATION', error: 'Bad Request', message: fe.message });
    }
    if (fe.statusCode && fe.statusCode < 500) {
      return reply.code(fe.statusCode).send({
        statusCode: fe.statusCode,
        code: fe.code?.startsWith('HUB_ERR_') ? fe.code : 'HUB_ERR_BAD_REQUEST',
        error: 'Bad Request',
        message: fe.message,
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({
      statusCode: 500,
      code: 'HUB_ERR_INTERNAL',
      error: 'Internal Server Error',
      message: 'internal error',
    });
  });

  app.setNotFoundHandler((request, reply) => {
    // Client-side routes of the dashboard (e.g. /devices/x) get its index.html.
    if (request.method === 'GET' && spaFallback?.(request.url)) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    reply.code(404).send({
      statusCode: 404,
      code: 'HUB_ERR_NOT_FOUND',
      error: 'Not Found',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
    });
  });
}
