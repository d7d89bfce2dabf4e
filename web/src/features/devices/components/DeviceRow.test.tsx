import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../../i18n/I18nProvider.tsx';
import { makeDevice } from '../../../test-fixtures.ts';
import { DeviceRow } from './DeviceRow.tsx';

// Escaping is the renderer's job, so it is tested where names become HTML: a row rendered by React.
describe('DeviceRow', () => {
  it('renders a name with quotes, markup and a newline as text, never as HTML', () => {
    const name = 'Loa "thôn" <b>1</b>,\nĐông <img src=x onerror=alert(1)>';
    const html = renderToStaticMarkup(
      <I18nProvider>
        <DeviceRow
          device={makeDevice('loa-x', { name })}
          now={Date.now()}
          selected={false}
          onSelect={() => {}}
        />
      </I18nProvider>,
    );
    const nameCell = /<span class="device-name" data-testid="device-name">([\s\S]*?)<\/span>/.exec(html)?.[1];
    expect(nameCell).toBe(
      'Loa &quot;thôn&quot; &lt;b&gt;1&lt;/b&gt;,\nĐông &lt;img src=x onerror=alert(1)&gt;',
    );
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<img');
  });
});
