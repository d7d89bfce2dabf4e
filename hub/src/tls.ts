import fs from 'node:fs';
import tls from 'node:tls';

/** Where the hub reads its certificate, key and (optional) client CA from; re-read on SIGHUP. */
export interface TlsFiles {
  cert: string;
  key: string;
  /** CA of client certificates (MQTTS mutual TLS); empty = clients authenticate by secret only. */
  ca: string;
}

export function tlsFilesOf(config: { tlsCert: string; tlsKey: string; tlsCa: string }): TlsFiles | undefined {
  if (!config.tlsCert || !config.tlsKey) return undefined;
  return { cert: config.tlsCert, key: config.tlsKey, ca: config.tlsCa };
}

/** The secure-context options of the files as they are on disk now (read synchronously, at boot or SIGHUP). */
export function readSecureContext(files: TlsFiles): tls.SecureContextOptions {
  return {
    cert: fs.readFileSync(files.cert),
    key: fs.readFileSync(files.key),
    ...(files.ca && { ca: fs.readFileSync(files.ca) }),
    minVersion: 'TLSv1.2',
  };
}

/** Servers whose certificate follows the files: `reload()` swaps it for new connections, open ones keep theirs. */
export class TlsReloader {
  private readonly servers: tls.Server[] = [];

  constructor(readonly files: TlsFiles) {}

  add(server: tls.Server): void {
    this.servers.push(server);
  }

  /** Reads the files again; throws (and changes nothing) when they do not make a valid context. */
  reload(): void {
    const options = readSecureContext(this.files);
    tls.createSecureContext(options); // a bad pair throws here, before any server changed
    for (const server of this.servers) server.setSecureContext(options);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Set when HUB_TLS_CERT/KEY are: the HTTPS and MQTTS servers whose certificate SIGHUP reloads. */
    tlsReloader: TlsReloader | undefined;
  }
}
