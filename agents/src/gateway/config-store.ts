import { channels, type ProbeConfigMessage } from '@commune-hub/protocol';
import { Value } from '@sinclair/typebox/value';

export type ConfigOutcome =
  | { accepted: true; config: ProbeConfigMessage }
  | { accepted: false; reason: string };

/**
 * The gateway's probe configuration: the last good `probeConfig` from its retained `cmd` topic. A message
 * that does not parse, fails the schema, names another gateway or is older than the one in use is
 * refused and the last good config stays in force; `invalid` says so until a good one arrives.
 */
export class ProbeConfigStore {
  private current: ProbeConfigMessage | undefined;
  private lastError: string | undefined;

  constructor(private readonly gatewayId: string) {}

  get config(): ProbeConfigMessage | undefined {
    return this.current;
  }

  /** Why the last message was refused, while no good one came after it. */
  get invalid(): string | undefined {
    return this.lastError;
  }

  offer(payload: Buffer | string): ConfigOutcome {
    const outcome = this.parse(payload);
    if (outcome.accepted) {
      this.current = outcome.config;
      this.lastError = undefined;
    } else this.lastError = outcome.reason;
    return outcome;
  }

  private parse(payload: Buffer | string): ConfigOutcome {
    let message: unknown;
    try {
      message = JSON.parse(payload.toString());
    } catch {
      return { accepted: false, reason: 'not JSON' };
    }
    if (!Value.Check(channels.cmd.schema, message)) {
      const first = Value.Errors(channels.cmd.schema, message).First();
      return { accepted: false, reason: `schema: ${first?.path ?? ''} ${first?.message ?? ''}`.trim() };
    }
    if (message.gateway !== this.gatewayId) {
      return { accepted: false, reason: `config is for ${message.gateway}` };
    }
    if (this.current && message.rev < this.current.rev) {
      return { accepted: false, reason: `rev ${message.rev} older than ${this.current.rev}` };
    }
    return { accepted: true, config: message };
  }
}
