import type { ProbeTargetView } from '@commune-hub/protocol';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeDevice } from '../../../test-fixtures.ts';
import { faultLabel } from '../labels.ts';
import { ProbeSection } from './ProbeSection.tsx';

function render(view: ProbeTargetView | null, parent: string | null, role = 'admin') {
  const client = new QueryClient();
  // The signed-in session as features/auth caches it: only the role matters here.
  client.setQueryData(['session'], { user: { role } });
  client.setQueryData(['probe', 'cam-1'], view);
  return renderToStaticMarkup(
    <QueryClientProvider client={client}>
      <ProbeSection device={makeDevice('cam-1', { parent })} />
    </QueryClientProvider>,
  );
}

describe('ProbeSection', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is absent for a device without a gateway, and tells a non-admin it is for admins only', () => {
    expect(render(null, null)).toBe('');
    for (const role of ['viewer', 'operator']) {
      const html = render(null, 'gw-1', role);
      expect(html).toContain('Chỉ quản trị viên');
      expect(html).not.toContain('name="address"');
    }
    expect(render(null, 'gw-1')).toContain('name="address"');
  });

  it('shows the stored target with write-only secrets', () => {
    const html = render(
      {
        deviceId: 'cam-1',
        gateway: 'gw-1',
        target: {
          type: 'rtsp',
          address: '192.168.1.64',
          port: 554,
          path: '/Streaming/Channels/101',
          username: 'viewer',
          intervalS: 60,
        },
        secretsSet: ['password'],
        updatedAt: '2026-11-30T00:00:00.000Z',
      },
      'gw-1',
    );
    expect(html).toContain('value="192.168.1.64"');
    expect(html).toContain('đã lưu; để trống để giữ nguyên');
    // The password field is never filled: it has no value attribute.
    const password = /<input[^>]*name="password"[^>]*>/.exec(html)?.[0] ?? '';
    expect(password).toContain('type="password"');
    expect(password).not.toContain('value=');
  });

  it('labels faults in Vietnamese and never shows an unknown code raw', () => {
    expect(faultLabel('stream_down')).toBe('Mất luồng hình camera');
    expect(faultLabel('disk_full')).toBe('Ổ đĩa đầy');
    expect(faultLabel('fan_stuck')).toBe('Lỗi khác: fan stuck');
  });
});
