/** Token bucket per MQTT client: a flooding client is throttled (its excess dropped and counted), others are not. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerS: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {}

  take(clientKey: string): boolean {
    const now = this.now();
    let bucket = this.buckets.get(clientKey);
    if (!bucket) {
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(clientKey, bucket);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerS);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  forget(clientKey: string): void {
    this.buckets.delete(clientKey);
  }
}
