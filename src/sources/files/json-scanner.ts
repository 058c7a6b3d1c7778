// Streams the elements out of large JSON documents (`{"events":[…]}`, `{"results":[…]}`, concatenated
// subscription records, pretty-printed events) without parsing or holding the whole document.

export interface ScannerHandler {
  /** A complete object or array that started at the scanner's depth; `key` names the array it sits in. */
  value(key: string | undefined, text: string): void;
  /** A string value of a top-level object's key (e.g. `logGroup`). */
  scalar?(key: string, value: string): void;
  /** A value grew past the cap and was dropped. */
  oversized(bytes: number): void;
  /** A new top-level value starts (e.g. the next subscription record). */
  topLevel?(): void;
}

export const MAX_ELEMENT_CHARS = 2 * 1024 * 1024;

const OPEN_OBJ = 123; // {
const CLOSE_OBJ = 125; // }
const OPEN_ARR = 91; // [
const CLOSE_ARR = 93; // ]
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;

export class JsonScanner {
  private depth = 0;
  private readonly stack: number[] = [];
  private inString = false;
  private escape = false;
  /** Expecting a key in the top-level object. */
  private expectKey = false;
  private key: string | undefined;
  private arrayKey: string | undefined;
  /** Capturing a top-level object's key or string value. */
  private strParts: string[] | undefined;
  private strIsKey = false;
  private strStart = 0;
  /** Capturing an element at emitDepth. */
  private capParts: string[] | undefined;
  private capStart = 0;
  private capChars = 0;
  private capDropped = false;

  constructor(
    private readonly emitDepth: number,
    private readonly handler: ScannerHandler,
  ) {}

  get unfinished(): boolean {
    return this.depth > 0 || this.inString;
  }

  feed(chunk: string): void {
    const n = chunk.length;
    if (this.capParts) this.capStart = 0;
    if (this.strParts) this.strStart = 0;
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === BACKSLASH) this.escape = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.strParts) this.endString(chunk, i);
        }
        continue;
      }
      switch (c) {
        case QUOTE:
          this.inString = true;
          if (this.depth === 1 && this.stack[0] === OPEN_OBJ && !this.capParts) {
            this.strParts = [];
            this.strIsKey = this.expectKey;
            this.strStart = i + 1;
          }
          break;
        case OPEN_OBJ:
        case OPEN_ARR:
          if (this.depth === 0) this.handler.topLevel?.();
          if (this.depth === this.emitDepth) this.startCapture(i);
          if (this.depth === 1 && c === OPEN_ARR) this.arrayKey = this.key;
          this.stack.push(c);
          this.depth++;
          if (this.depth === 1 && c === OPEN_OBJ) this.expectKey = true;
          break;
        case CLOSE_OBJ:
        case CLOSE_ARR:
          if (this.depth === 0) break;
          this.stack.pop();
          this.depth--;
          if (this.depth === this.emitDepth && this.capParts) this.endCapture(chunk, i);
          if (this.depth === 1 && c === CLOSE_ARR) this.arrayKey = undefined;
          break;
        case COMMA:
          if (this.depth === 1 && this.stack[0] === OPEN_OBJ) this.expectKey = true;
          break;
      }
    }
    if (this.capParts && !this.capDropped) this.appendCapture(chunk.slice(this.capStart));
    if (this.strParts) this.strParts.push(chunk.slice(this.strStart));
  }

  private startCapture(i: number): void {
    this.capParts = [];
    this.capStart = i;
    this.capChars = 0;
    this.capDropped = false;
  }

  private appendCapture(part: string): void {
    this.capChars += part.length;
    if (this.capChars > MAX_ELEMENT_CHARS) {
      this.capDropped = true;
      this.capParts = [];
      return;
    }
    this.capParts!.push(part);
  }

  private endCapture(chunk: string, i: number): void {
    if (!this.capDropped) this.appendCapture(chunk.slice(this.capStart, i + 1));
    const parts = this.capParts!;
    this.capParts = undefined;
    if (this.capDropped) {
      this.capDropped = false;
      this.handler.oversized(this.capChars);
      return;
    }
    const key = this.emitDepth === 2 ? this.arrayKey : undefined;
    this.handler.value(key, parts.length === 1 ? parts[0]! : parts.join(""));
  }

  private endString(chunk: string, i: number): void {
    this.strParts!.push(chunk.slice(this.strStart, i));
    const raw = this.strParts!.join("");
    this.strParts = undefined;
    let text: string;
    try {
      text = JSON.parse(`"${raw}"`) as string;
    } catch {
      text = raw;
    }
    if (this.strIsKey) {
      this.key = text;
      this.expectKey = false;
    } else if (this.key !== undefined) {
      this.handler.scalar?.(this.key, text);
    }
  }
}
