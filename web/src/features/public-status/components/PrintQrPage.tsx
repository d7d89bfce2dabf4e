import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { usePublicGroup } from '../api/publicApi.ts';
import { usePublicWords } from '../words.ts';
import { PublicFrame, publicDevicePath } from './PublicStatusPage.tsx';

/** An SVG QR code of `text`, as an image (no HTML injected). */
export function QrImage({ text, label }: { text: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
      .then((svg) => live && setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`))
      .catch(() => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [text]);
  return src ? <img className="ps-qr" src={src} alt={label} data-testid="qr" /> : null;
}

/**
 * `/trang-thai/:group/ma-qr`: one card per device with a QR code leading to its public page, to print
 * and stick on the wifi point. Only what the public page shows; anyone may print it.
 */
export function PrintQrPage() {
  const { group = '' } = useParams();
  const query = usePublicGroup(group);
  const page = query.data;
  const origin = window.location.origin;
  const w = usePublicWords();
  return (
    <PublicFrame title={page ? `${w.print.title} — ${page.group.name}` : undefined}>
      {query.isError && !page && <p className="ps-error">{w.notFound}</p>}
      {page && (
        <>
          <header className="ps-header ps-no-print">
            <h1>{page.group.name}</h1>
            <p>{w.print.hint}</p>
            <button type="button" onClick={() => window.print()}>
              {w.print.button}
            </button>
          </header>
          <ul className="ps-print-grid">
            {page.devices.map((d) => {
              const url = `${origin}${publicDevicePath(group, d.token)}`;
              return (
                <li key={d.token} className="ps-print-card" data-testid="qr-card">
                  <QrImage text={url} label={w.print.qr(d.name)} />
                  <strong>{d.name}</strong>
                  <span className="ps-print-sub">{page.group.name}</span>
                  <span className="ps-print-url">{url}</span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </PublicFrame>
  );
}
