/**
 * The rules for a file name a person gives an image (rename). Pure, shared by the rename dialog
 * (to explain before sending) and the server (which decides).
 */

/** Stored names are bounded like uploaded ones (they show in the UI and in exports). */
export const MAX_IMAGE_FILE_NAME_LENGTH = 255;

/** Extensions that name the same format: renaming x.tif to x.tiff keeps it a TIFF. */
const SAME_FORMAT: readonly (readonly string[])[] = [
  ["tif", "tiff"],
  ["jpg", "jpeg", "jpe"],
];

/** The lower-case extension of `name` without its dot ("" when there is none). */
export function fileExtension(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? name;
  const dot = base.lastIndexOf(".");
  return dot > 0 && dot < base.length - 1 ? base.slice(dot + 1).toLowerCase() : "";
}

function sameFormat(a: string, b: string): boolean {
  return a === b || SAME_FORMAT.some((group) => group.includes(a) && group.includes(b));
}

export type FileNameCheck = { ok: true; name: string } | { ok: false; message: string };

/**
 * Checks the new name of an image that is now called `current`. Trims it; refuses an empty or
 * too long name, path separators and control characters; keeps the extension sane: a name
 * without one gets the current extension, and another format's extension is refused (the bytes
 * stay what they are).
 */
export function checkImageFileName(input: string, current: string): FileNameCheck {
  let name = input.trim();
  if (name.length === 0) return { ok: false, message: "Give the image a file name" };
  if (/[/\\]/.test(name)) return { ok: false, message: "A file name cannot contain / or \\" };
  if (/[\u0000-\u001f\u007f]/.test(name))
    return { ok: false, message: "A file name cannot contain control characters" };
  if (name === "." || name === "..") return { ok: false, message: `"${name}" is not a file name` };
  const was = fileExtension(current);
  const now = fileExtension(name);
  if (was && !now) name = `${name.replace(/\.+$/, "")}.${current.slice(current.length - was.length)}`;
  else if (was && !sameFormat(was, now))
    return {
      ok: false,
      message: `Keep the extension .${was}: the file stays what it is (a .${now} name would mislead)`,
    };
  if (name.length > MAX_IMAGE_FILE_NAME_LENGTH)
    return { ok: false, message: `A file name can be at most ${MAX_IMAGE_FILE_NAME_LENGTH} characters long` };
  return { ok: true, name };
}
