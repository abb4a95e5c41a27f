// Where a JSON text goes wrong, as line and column. Node 20's JSON.parse often gives
// no position and quotes the whole text back, useless for a large hand-edited file;
// this small scanner re-reads the text only after JSON.parse has already failed.

export interface JsonErrorLocation {
  offset: number;
  line: number;
  column: number;
  reason: string;
}

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    reason: string,
  ) {
    super(reason);
  }
}

function describe(text: string, at: number): string {
  if (at >= text.length) return 'unexpected end of file';
  return `unexpected character ${JSON.stringify(text[at])}`;
}

/** Scan `text` (which JSON.parse rejected) and return the first error's position. */
export function locateJsonError(text: string): JsonErrorLocation {
  let i = 0;
  const fail = (reason?: string): never => {
    throw new JsonSyntaxError(i, reason ?? describe(text, i));
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const ch = text[i];
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        i++;
        const esc = text[i];
        if (esc === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k;
              fail('invalid \\u escape in string');
            }
          }
          i += 5;
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i++;
        else fail('invalid escape in string');
      } else if (ch < ' ') fail('control character in string (newlines must be written \\n)');
      else i++;
    }
    fail('unexpected end of file inside a string');
  };
  const number = () => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0].length === 0 || m[0] === '-') fail('invalid number');
    else i += m[0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(i >= text.length ? undefined : 'expected a property name in double quotes');
        string();
        ws();
        if (text[i] !== ':') fail(i >= text.length ? undefined : "expected ':' after property name");
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail(i >= text.length ? undefined : "expected ',' or '}' after property value");
      }
    } else if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail(i >= text.length ? undefined : "expected ',' or ']' after array element");
      }
    } else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) number();
    else fail();
  };

  let offset = text.length;
  let reason = 'invalid JSON';
  try {
    value();
    ws();
    if (i < text.length) fail('unexpected text after the end of the JSON value');
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    offset = err.offset;
    reason = err.message;
  }
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { offset, line, column, reason };
}
