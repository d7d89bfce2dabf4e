import JSZip from 'jszip';

/**
 * Makes an Office file (a zip) depend only on its content and `at`: every entry gets the same date and
 * the document properties' created/modified become `at`. exceljs and docx stamp the current time in both,
 * so without this a frozen report would hash differently on every download.
 */
export async function stabilizeZip(bytes: Uint8Array, at: number): Promise<Buffer> {
  // Whole seconds: what core.xml (W3CDTF) and a zip date can hold.
  const when = new Date(Math.floor(at / 1000) * 1000);
  const stamp = when.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const input = await JSZip.loadAsync(bytes);
  const output = new JSZip();
  for (const entry of Object.values(input.files)) {
    if (entry.dir) continue;
    let content: Uint8Array | string = await entry.async('uint8array');
    if (entry.name === 'docProps/core.xml') {
      content = new TextDecoder()
        .decode(content)
        .replace(/(<dcterms:created\b[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${stamp}$2`)
        .replace(/(<dcterms:modified\b[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${stamp}$2`);
    }
    output.file(entry.name, content, { date: when, createFolders: false });
  }
  return output.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    compressionOptions: { level: 6 },
    platform: 'DOS',
  });
}
