import { describe, expect, it } from 'vitest';
import { parseAgentCli } from '../config.ts';

const base = ['--hub', 'mqtt://127.0.0.1:1883', '--id', 'hk-kiosk-01', '--secret', 'S', '--kind', 'kiosk'];

describe('agent command line', () => {
  it('parses flags with defaults per kind', () => {
    const parsed = parseAgentCli([...base, '--expect-process', 'kiosk-app', '--expect-process', 'clamd'], {});
    expect(parsed.help).toBe(false);
    if (parsed.help) return;
    expect(parsed.config).toMatchObject({
      hubUrl: 'mqtt://127.0.0.1:1883',
      id: 'hk-kiosk-01',
      kind: 'kiosk',
      intervalS: 60,
      spoolDir: './agent-spool',
      expectProcesses: ['kiosk-app', 'clamd'],
    });
  });

  it('reads HUB_AGENT_* variables, flags winning', () => {
    const env = {
      HUB_AGENT_HUB: 'mqtts://hub.example:8883',
      HUB_AGENT_ID: 'wifi-01',
      HUB_AGENT_SECRET: 'from-env',
      HUB_AGENT_KIND: 'wifi',
      HUB_AGENT_INTERVAL: '15',
      HUB_AGENT_EXPECT_PROCESS: 'a, b',
    };
    const parsed = parseAgentCli(['--interval', '20'], env);
    if (parsed.help) throw new Error('unexpected help');
    expect(parsed.config).toMatchObject({
      id: 'wifi-01',
      secret: 'from-env',
      intervalS: 20,
      expectProcesses: ['a', 'b'],
    });
  });

  it('answers --help', () => {
    expect(parseAgentCli(['--help'], {})).toEqual({ help: true });
  });

  it.each([
    [['--hub', 'mqtt://h', '--secret', 'S', '--kind', 'pc'], /missing --id \(or HUB_AGENT_ID\)/],
    [
      [...base.slice(0, 2), '--id', 'HK Kiosk', ...base.slice(4)],
      /--id "HK Kiosk" is not a valid device id: it must match/,
    ],
    [[...base, '--interval', '0'], /--interval must be an integer between 1 and 86400/],
    [[...base, '--interval', '1.5'], /--interval must be an integer/],
    [[...base.slice(0, 6), '--kind', 'toaster'], /--kind "toaster" is not one of/],
    [['--hub', 'http://h', ...base.slice(2)], /--hub must be an mqtt/],
    [[...base, '--portal-url', 'ftp://x'], /--portal-url must be an http/],
    [[...base, '--nope'], /Unknown option '--nope'/],
    [[...base, '--cert', 'c.pem'], /--cert and --key go together/],
    [[...base, '--cert', 'c.pem', '--key', 'k.pem'], /--cert\/--key are for mqtts:\/\/ or wss:\/\/ hubs/],
    [
      [
        '--hub',
        'mqtts://h:8883',
        ...base.slice(2),
        '--cert',
        '/nonexistent.pem',
        '--key',
        '/nonexistent.key',
      ],
      /--cert: cannot read "\/nonexistent.pem"/,
    ],
  ])('rejects %j with a clear error', (argv, message) => {
    expect(() => parseAgentCli(argv, {})).toThrow(message);
    try {
      parseAgentCli(argv, {});
    } catch (err) {
      expect((err as { code: string }).code).toBe('HUB_ERR_AGENT_CONFIG');
    }
  });
});
