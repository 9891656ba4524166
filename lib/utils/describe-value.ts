/** A caller's value as error messages show it: short values as they are, long or large ones by their size. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      if (value === null) {
        return 'null';
      }
      return Array.isArray(value) ? `an array of ${value.length}` : `an object`;
  }
}
