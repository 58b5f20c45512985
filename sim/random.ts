/** Seedable pseudo-random numbers (mulberry32), so a scenario with a seed replays the same way. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** a float in [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let value = this.state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  }

  /** `length` characters from Kubernetes' name-suffix alphabet */
  suffix(length: number): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    let text = '';
    for (let index = 0; index < length; index += 1)
      text += alphabet[Math.floor(this.next() * alphabet.length)] ?? 'x';
    return text;
  }
}
