// HH:MM:SS in local time, recomputed once per second rather than per line.
export class SecondClock {
  #until = 0;
  #text = '';

  constructor(private readonly now: () => number = Date.now) {}

  text(): string {
    const now = this.now();
    if (now >= this.#until) {
      const date = new Date(now);
      const pad = (n: number): string => String(n).padStart(2, '0');
      this.#text = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
      this.#until = now - date.getMilliseconds() + 1000;
    }
    return this.#text;
  }
}
