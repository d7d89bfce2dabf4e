import { useState } from 'react';
import { useManageWords } from '../../../i18n/manage.ts';

/**
 * Copies `text`. The Clipboard API needs a secure context, which a hub opened at http://192.168.x.y is
 * not, so the old select-and-copy is the fallback; if both fail the text stays selectable on screen.
 */
async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    } finally {
      area.remove();
    }
  }
}

export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const w = useManageWords().copy;
  const [state, setState] = useState<'idle' | 'done' | 'failed'>('idle');
  return (
    <button
      type="button"
      className="mg-copy"
      data-testid={testId}
      onClick={async () => setState((await copy(text)) ? 'done' : 'failed')}
    >
      {state === 'done' ? w.done : state === 'failed' ? w.failed : label}
    </button>
  );
}
