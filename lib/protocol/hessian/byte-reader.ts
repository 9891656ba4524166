/**
 * The cursor under the Hessian2 reader: one frame body, a position, and the bounds checks every
 * read goes through (truncated input throws a RangeError naming the byte, never yields undefined).
 */
export class ByteReader {
  protected pos = 0;
  protected readonly end: number;

  constructor(protected readonly bytes: Buffer) {
    this.end = bytes.length;
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  protected need(bytes: number): void {
    if (this.pos + bytes > this.end) {
      throw new RangeError(`hessian: body truncated at byte ${this.pos}`);
    }
  }

  protected needAt(at: number, bytes: number): void {
    if (at + bytes > this.end) {
      throw new RangeError(`hessian: string truncated at byte ${at}`);
    }
  }

  protected byte(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  protected peek(): number {
    if (this.pos >= this.end) {
      throw new RangeError(`hessian: body truncated at byte ${this.pos}`);
    }
    return this.bytes[this.pos]!;
  }
}
