/**
 * How many body bytes all requests together may hold in memory at once. A request takes bytes as
 * they arrive and gives them back when it is done; when the budget is spent, new bytes are refused
 * (the request is answered 503), so memory stays bounded whatever the number of senders.
 */
export class ByteBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Takes `bytes` if they fit; false (and nothing taken) otherwise. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  get inUse(): number {
    return this.used;
  }
}
