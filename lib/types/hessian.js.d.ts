// Minimal typing of the parts of hessian.js the protocol adapter builds on. Internal only: no exported
// signature of this package mentions these types.
declare module 'hessian.js' {
  interface HessianByteBuffer {
    _bytes: Buffer;
    _offset: number;
    _size: number;
    put(value: number | Buffer): HessianByteBuffer;
    putUInt16(value: number): HessianByteBuffer;
    putInt32(value: number): HessianByteBuffer;
    putRawString(value: string): HessianByteBuffer;
    get(): number;
    get(index: number): number;
    getUInt16(): number;
    getInt32(): number;
    getRawStringByStringLength(length: number): string;
    read(size: number): Buffer;
    position(): number;
    position(value: number): HessianByteBuffer;
    skip(size: number): void;
    reset(): void;
  }

  class EncoderV2 {
    constructor(options?: { size?: number });
    byteBuffer: HessianByteBuffer;
    objects: unknown[];
    _typeRefs: string[];
    _classRefs: string[];
    _classRefFields: Record<string, string[]>;
    reset(): this;
    get(): Buffer;
    write(value: unknown): this;
    writeNull(): this;
    writeBool(value: boolean): this;
    writeInt(value: number): this;
    writeLong(value: number | string): this;
    writeDouble(value: number): this;
    writeDate(value: Date | number): this;
    writeBytes(value: Buffer): this;
    writeString(value: string): this;
    writeType(type: string): this;
    writeRef(index: number): this;
    writeObject(value: unknown): this;
    writeArray(value: unknown): this;
    _checkRef(value: unknown): boolean;
    _writeListBegin(length: number, type: string): boolean;
    _writeHashMap(value: unknown, type: string): this;
  }

  class DecoderV2 {
    constructor(buffer?: Buffer);
    byteBuffer: HessianByteBuffer;
    BYTE_CODES: Record<number, string>;
    refMap: Record<number, unknown>;
    refId: number;
    types: string[];
    _isLastChunk: boolean;
    classes: Array<{ name: string; fields: string[] }>;
    read(withType?: boolean): unknown;
    readInt(): number;
    readString(): string;
    readType(): string;
    _readObjectDefinition(): { name: string; fields: string[] };
    _addRef(value: unknown): void;
    throwError(method: string, code: number): never;
  }

  const hessian: { EncoderV2: typeof EncoderV2; DecoderV2: typeof DecoderV2 };
  export default hessian;
  export type { HessianByteBuffer };
  export { EncoderV2, DecoderV2 };
}
