/**
 * Why a value could not be written, with where it sits in the value (`args[1].items[3].qty`). The
 * path is built on the way out of the writer, segment by segment, so a value that encodes costs
 * nothing for it.
 */
export class ValueEncodeError extends Error {
  private readonly segments: string[] = [];

  constructor(
    message: string,
    /** The Java type the value was checked against, when one was declared. */
    readonly javaType?: string,
  ) {
    super(message);
  }

  /** Adds the segment of the enclosing container (`[3]`, `.qty`, `["odd key"]`). */
  within(segment: string): this {
    this.segments.push(segment);
    return this;
  }

  /** The path below the root the caller names (segments were pushed innermost first). */
  path(root: string): string {
    let path = root;
    for (let i = this.segments.length - 1; i >= 0; i--) {
      path += this.segments[i]!;
    }
    return path;
  }
}

/** The body would grow past the payload limit: raised at the first byte over it. */
export class PayloadLimitError extends Error {
  constructor(readonly limit: number) {
    super(`the body would exceed the payload limit of ${limit} bytes`);
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The path segment of an object key. */
export function keySegment(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
