// Text for the terminal from strings users gave us. Names, ids, paths and file contents are
// stored exactly as given (and --json prints them exactly, JSON-escaped), but printed as text
// a control character could clear the screen, recolour or rewrite a line (ESC [ …), forge
// extra output lines (a newline in a name) or reorder the line (bidirectional overrides). So
// every C0 and C1 control character, DEL, the Unicode line and paragraph separators and the
// bidirectional controls are shown as escapes: \n \r \t \e (ESC), \xNN, \uNNNN.
//
// command-runner.ts applies printable() to every line the CLI prints (stdout text, info lines,
// progress labels, error messages), keeping only the line breaks of the output itself; a
// command that puts a user's name or path into a line passes it through shown() first, so a
// newline inside the value is escaped too.

// \p{Cc} is exactly the C0 controls, DEL and the C1 controls (U+0000-001F, U+007F-009F).
const CONTROLS = /[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const CONTROLS_BUT_LINE_BREAKS = /(?!\n)[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A user-given value (name, id, path) for one line of text: every control character escaped, newlines included. */
export function shown(value: string): string {
  return value.replace(CONTROLS, escapeOne);
}

/** Text of several lines: control characters escaped except the line breaks (\n) between its lines. */
export function printable(text: string): string {
  return text.replace(CONTROLS_BUT_LINE_BREAKS, escapeOne);
}
