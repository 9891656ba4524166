/**
 * Where the Java class of a decoded object is kept: a non-enumerable symbol property (invisible to
 * Object.keys, JSON and deep-equality checks). A WeakMap entry per object made a large reply's
 * garbage collection several times slower.
 */
const JAVA_CLASS = Symbol('javaClass');

export function setJavaClass(target: object, className: string): void {
  Object.defineProperty(target, JAVA_CLASS, { value: className, enumerable: false, writable: false, configurable: false });
}

/** The Java class a decoded object (class-definition instance or typed map) was written as, if any. */
export function javaClassOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const name = (value as { [JAVA_CLASS]?: unknown })[JAVA_CLASS];
  return typeof name === 'string' ? name : undefined;
}
