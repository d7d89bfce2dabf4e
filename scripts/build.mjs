#!/usr/bin/env node
// Compiles the programs that run in production to plain JavaScript, so they run in one `node` process
// without the tsx loader (issue 15): hub → hub/dist/server.js, agents → agents/dist/cli.js.
// Plain .mjs on purpose: it must run with bare `node` on a fresh install, before anything is built.
//
//   node scripts/build.mjs            hub and agents
//   node scripts/build.mjs hub        one of them
//   node scripts/build.mjs --web      ...and the dashboard (vite), as `npm install` does (prepare)
//   --if-present                      skip what has no sources yet (the Dockerfile installs packages
//                                     before it copies the sources in; it builds afterwards)
//
// Our own code (hub, agents, @commune-hub/protocol, which is TypeScript source) and TypeBox are bundled;
// every other npm package stays external and is loaded from node_modules at run time, as under tsx: native modules
// (better-sqlite3) cannot be bundled, and packages that read their own files (@fastify/swagger-ui's
// static assets, pino's worker transports) must stay where they are. Heavy libraries that only some
// requests need (exceljs, docx, nodemailer, swagger UI) are imported dynamically by the hub, so code
// splitting keeps them out of the boot path.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * TypeBox is pure ES modules that read no files of their own, and node loads all 249 of them for the few
 * functions we call; bundled, esbuild keeps only those (≈0.2 of 1.3 MB of source), which V8 would otherwise
 * hold in the heap: −1.4 MiB heap after a full GC, idle (BENCHMARKS.md, issue 15). Its symbols are
 * Symbol.for() keys and no external package loads TypeBox at run time, so there is one copy.
 */
const bundledPackages = ['@sinclair/typebox'];

/** Bundle our workspaces' TypeScript (and bundledPackages), leave every other npm package to node's resolver. */
const externalPackages = {
  name: 'external-npm-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@commune-hub/')) return undefined;
      if (bundledPackages.some((p) => args.path === p || args.path.startsWith(`${p}/`))) return undefined;
      return { path: args.path, external: true };
    });
  },
};

const programs = {
  hub: { dir: 'hub', entries: ['src/server.ts'] },
  agents: {
    dir: 'agents',
    entries: ['src/cli.ts'],
    // Read at run time next to the code (new URL('./snmp-vendors.json', import.meta.url)).
    assets: [['src/gateway/snmp-vendors.json', 'snmp-vendors.json']],
  },
};

/**
 * V8 keeps every module's source text in the heap (lazy compilation, Function.prototype.toString), and one
 * character outside Latin-1 makes the whole text a two-byte string: hub/dist/server.js (≈0.5 MB) held
 * ≈0.9 MiB because a few regular expressions and comments keep Vietnamese letters: esbuild's ASCII output
 * escapes strings and templates but leaves those (BENCHMARKS.md, issue 15). `\uXXXX` means the same character
 * in a regular expression (with or without the u flag), a string or a comment; the sources use no
 * String.raw. Only the columns of those few lines move in the source map.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const nonAscii = /[\u0080-\uffff]/g;
  if (!nonAscii.test(text)) return;
  writeFileSync(
    file,
    text.replace(nonAscii, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
}

async function buildProgram(name) {
  const program = programs[name];
  const dir = path.join(root, program.dir);
  const outdir = path.join(dir, 'dist');
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const started = Date.now();
  await esbuild.build({
    absWorkingDir: dir,
    entryPoints: program.entries,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    // Chunks beside the entry, so import.meta.url of any chunk is the dist folder.
    chunkNames: 'chunk-[name]-[hash]',
    plugins: [externalPackages],
    logLevel: 'warning',
    legalComments: 'none',
  });
  for (const [from, to] of program.assets ?? []) copyFileSync(path.join(dir, from), path.join(outdir, to));
  for (const file of readdirSync(outdir)) if (file.endsWith('.js')) asciiOnly(path.join(outdir, file));
  // The sources' `#!/usr/bin/env -S npx tsx` would start tsx again: the built file runs on node alone.
  for (const entry of program.entries) {
    const file = path.join(outdir, `${path.basename(entry, '.ts')}.js`);
    const text = readFileSync(file, 'utf8');
    if (text.startsWith('#!')) writeFileSync(file, `#!/usr/bin/env node${text.slice(text.indexOf('\n'))}`);
  }
  return Date.now() - started;
}

const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
const ifPresent = args.includes('--if-present');
const names = args.filter((a) => !a.startsWith('--'));
for (const name of names.length > 0 ? names : Object.keys(programs)) {
  if (!programs[name]) {
    console.error(`build: unknown program "${name}" (known: ${Object.keys(programs).join(', ')})`);
    process.exit(2);
  }
  const { dir, entries } = programs[name];
  if (ifPresent && !entries.every((e) => existsSync(path.join(root, dir, e)))) continue;
  const ms = await buildProgram(name);
  if (!quiet) console.log(`build: ${name}/dist in ${ms} ms`);
}
if (args.includes('--web') && !(ifPresent && !existsSync(path.join(root, 'web/index.html')))) {
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', 'web', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (!quiet) console.log('build: web/dist');
}
