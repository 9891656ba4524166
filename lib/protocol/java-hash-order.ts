/**
 * Java's HashMap iteration order for String keys, so that maps we write (the attachments) come out
 * in the order a Java consumer writes them and request bytes can be compared with captured traffic.
 * HashMap iterates bucket by bucket; a key's bucket is its spread String.hashCode masked by the table
 * size, which starts at 16 and doubles whenever the map is more than 3/4 full.
 */

function javaStringHash(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) {
    hash = (Math.imul(31, hash) + value.charCodeAt(i)) | 0;
  }
  return hash;
}

function javaTableSize(entries: number): number {
  let capacity = 16;
  while (entries > capacity * 0.75) {
    capacity *= 2;
  }
  return capacity;
}

/** Keys in the order a java.util.HashMap filled in this (insertion) order iterates them. */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  const mask = javaTableSize(keys.length) - 1;
  return keys
    .map((key, index) => {
      const h = javaStringHash(key);
      return { key, index, bucket: (h ^ (h >>> 16)) & mask };
    })
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.key);
}
