/**
 * What a paste into the message box attaches. A screenshot comes as a file alone; a file copied
 * in a file manager comes with its name, path or file:// address as text, and is attached (as in
 * Slack or WhatsApp Web). Text copied with a picture (a document, a web page) stays a text paste.
 */

interface Clipboard {
  files: ArrayLike<File>;
  getData(format: string): string;
}

/** The files to attach, or none when the paste is text the browser should insert. */
export function pastedFiles(clipboard: Clipboard): File[] {
  const files = Array.from(clipboard.files);
  if (files.length === 0) return [];
  const text = clipboard.getData('text/plain');
  return text.trim() === '' || namesOnly(text, files) ? files : [];
}

/** True when every line of the text is the name, path or file:// address of one of the files. */
function namesOnly(text: string, files: readonly File[]): boolean {
  const names = new Set(files.map((f) => f.name));
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  return lines.every((line) => names.has(baseName(line)));
}

function baseName(pathOrUrl: string): string {
  let path = pathOrUrl;
  if (/^file:\/\//i.test(path)) {
    try {
      path = decodeURIComponent(new URL(path).pathname);
    } catch {
      return '';
    }
  }
  return path.split(/[\\/]/).pop() ?? '';
}
