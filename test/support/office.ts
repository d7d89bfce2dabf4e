import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Renders an office file (XLSX, DOCX) to PDF with Debian's LibreOffice and returns the PDF's text
 * (poppler's pdftotext, in reading order). Each call has its own LibreOffice profile, so parallel test files
 * never fight over ~/.config/libreoffice.
 */
export async function officeToPdfText(bytes: Uint8Array, fileName: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'office-pdf-'));
  try {
    const input = path.join(dir, fileName);
    fs.writeFileSync(input, bytes);
    const profile = path.join(dir, 'profile');
    await run(
      'soffice',
      [
        `-env:UserInstallation=file://${profile}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        input,
      ],
      { timeout: 120_000, env: { ...process.env, HOME: dir } },
    );
    const pdf = path.join(dir, `${path.parse(fileName).name}.pdf`);
    if (!fs.existsSync(pdf)) throw new Error(`LibreOffice made no PDF from ${fileName}`);
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', pdf, '-'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
