/**
 * A running target with its consumer attached, plus the device credentials it accepts. The hub's devices
 * are provisioned once through REST into a data dir that every hub start of the run reuses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DeviceCredential } from '../loadgen/messages.ts';
import { progress } from '../stats.ts';
import { type Consumer, DashboardConsumer, SubscriberConsumer } from './consumers.ts';
import { HubApi } from './hub-api.ts';
import {
  anonymousDevices,
  startAedes,
  startHubTarget,
  startMosquitto,
  type Target,
  type TargetName,
} from './target.ts';

/** Counter the hub increments per heartbeat validated, applied to liveness and handed to the store. */
export const HUB_ACCEPTED_COUNTER = process.env.BENCH_HUB_COUNTER ?? 'hub_ingest_accepted_total';
export const LOAD_INTERVAL_S = 30;

export interface Session {
  target: Target;
  consumer: Consumer;
  api?: HubApi;
  /** Heartbeats fully processed so far (hub counter; messages received by the subscriber for brokers). */
  processed(): Promise<number | null>;
  devices(count: number): DeviceCredential[];
  stop(): Promise<void>;
}

export class BenchEnv {
  readonly hubDataDir = mkdtempSync(path.join(tmpdir(), 'bench-hub-'));
  readonly adminToken = 'bench-admin-token-0123456789';
  private hubDevices: DeviceCredential[] = [];
  hubExecArgv: string[] = [];
  /** `dist`: node hub/dist/server.js (production); `tsx`: the sources under the tsx loader. */
  hubRun: 'dist' | 'tsx' = 'dist';
  /** Extra HUB_* settings of the built hub (HUB_WORKERS, cluster URLs). */
  hubEnv: Record<string, string> = {};
  /** false: the built hub without package.json's production node flags and environment (--hubFlags=none). */
  hubProductionFlags = true;

  /** Whether '@commune-hub/hub' exports startHub yet (the hub lands while this bench is written). */
  static async hubAvailable(): Promise<boolean> {
    try {
      const mod = (await import('@commune-hub/hub')) as Record<string, unknown>;
      return typeof mod.startHub === 'function';
    } catch {
      return false;
    }
  }

  async open(name: TargetName, deviceCount: number): Promise<Session> {
    if (name === 'hub') return this.openHub(deviceCount);
    const target = name === 'aedes' ? await startAedes() : await startMosquitto();
    const consumer = await SubscriberConsumer.start(target.host, target.port);
    const all = anonymousDevices(deviceCount);
    return {
      target,
      consumer,
      processed: async () => consumer.received,
      devices: (count) => all.slice(0, count),
      stop: async () => {
        await consumer.close();
        await target.stop();
      },
    };
  }

  /**
   * Provisions `count` devices in a hub process of its own, so the hubs that are measured later start on a
   * data dir that already holds them and their RSS before/after is not blurred by provisioning garbage.
   */
  async provisionHub(count: number): Promise<void> {
    if (this.hubDevices.length >= count) return;
    const session = await this.openHub(count);
    await session.stop();
  }

  private async openHub(deviceCount: number): Promise<Session> {
    const target = await startHubTarget({
      dataDir: this.hubDataDir,
      adminToken: this.adminToken,
      execArgv: this.hubExecArgv,
      run: this.hubRun,
      env: this.hubEnv,
      productionFlags: this.hubProductionFlags,
    });
    const token = target.apiToken ?? this.adminToken;
    const api = new HubApi(target.httpUrl!, token);
    if (this.hubDevices.length < deviceCount) {
      const ids = anonymousDevices(deviceCount)
        .slice(this.hubDevices.length)
        .map((d) => d.id);
      progress(`  provisioning ${ids.length} devices through REST`);
      this.hubDevices.push(...(await api.provisionMany(ids, LOAD_INTERVAL_S)));
    }
    const consumer = await DashboardConsumer.start(target.httpUrl!, token);
    return {
      target,
      consumer,
      api,
      // Heartbeats only: the retained `online` each device publishes on connect is counted under channel="status".
      processed: () => api.counter(HUB_ACCEPTED_COUNTER, 'channel="hb"'),
      devices: (count) => this.hubDevices.slice(0, count),
      stop: async () => {
        await consumer.close();
        await target.stop();
      },
    };
  }

  cleanup(): void {
    rmSync(this.hubDataDir, { recursive: true, force: true });
  }
}
