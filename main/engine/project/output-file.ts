// Writing a file at a path the user chose (an export's --out, the runExport procedure).
// Such a path may name anything, so the write is careful about what it replaces:
//   - nothing there: a new file, written atomically (temporary file beside it, then rename);
//   - a regular file: replaced atomically, keeping its permission bits;
//   - a symbolic link to a regular file: written through, atomically, at the link's target
//     (the temporary file goes beside the target, which the rename replaces); the link stays a link;
//   - anything else (a folder, a FIFO, a device, a socket, a dangling or looping link, or a
//     link to any of these): refused with a one-line UserError, and nothing is changed.
// Failures the user can fix (no such folder, no permission, read-only file system, disk full)
// are UserErrors naming the path, not internal errors.
import { constants, promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { UserError, isUserError } from '../errors';
import { writeFileAtomic, type AtomicData } from './atomic-write';

export interface OutputTarget {
  /** The path asked for, absolute. */
  requested: string;
  /** The file that will be replaced or created: `requested`, or a symbolic link's target. */
  target: string;
  /** Permission bits of the file being replaced; undefined for a new file. */
  mode?: number;
}

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code;

/** What a non-regular file is, for a message: 'a folder', 'a named pipe (FIFO)', … */
export function describeFileType(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function refuse(requested: string, what: string): never {
  throw new UserError(`cannot write ${requested}: ${what}; give the path of a new or regular file`);
}

/** Maps the errors a user can do something about to a UserError naming the path; rethrows the rest. */
function asUserError(requested: string, err: unknown): never {
  const code = errno(err);
  const reason: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    ENAMETOOLONG: 'the path is too long',
    ELOOP: 'too many levels of symbolic links',
    ENOTDIR: 'a part of the path is not a folder',
  };
  if (code && reason[code]) throw new UserError(`cannot write ${requested}: ${reason[code]}`);
  throw err;
}

async function statOrNull(file: string, follow: boolean): Promise<Stats | null> {
  try {
    return follow ? await fs.stat(file) : await fs.lstat(file);
  } catch (err) {
    if (errno(err) === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Where a write to `file` would go, checked: refuses (UserError) a path that exists and is
 * not a regular file or a symbolic link to one, and a new file in a folder that does not exist.
 */
export async function resolveOutputTarget(file: string): Promise<OutputTarget> {
  const requested = path.resolve(file);
  try {
    const own = await statOrNull(requested, false);
    if (own === null) {
      const dir = path.dirname(requested);
      const folder = await statOrNull(dir, true);
      if (folder === null) throw new UserError(`cannot write ${requested}: folder ${dir} does not exist`);
      if (!folder.isDirectory()) throw new UserError(`cannot write ${requested}: ${dir} is not a folder`);
      return { requested, target: requested };
    }
    if (own.isFile()) return { requested, target: requested, mode: own.mode & 0o7777 };
    if (!own.isSymbolicLink()) refuse(requested, `it is ${describeFileType(own)}`);

    const link = await fs.readlink(requested);
    const pointed = await statOrNull(requested, true);
    if (pointed === null) refuse(requested, `it is a symbolic link to ${link}, which does not exist`);
    if (!pointed.isFile()) refuse(requested, `it is a symbolic link to ${link}, which is ${describeFileType(pointed)}`);
    const target = await fs.realpath(requested);
    return { requested, target, mode: pointed.mode & 0o7777 };
  } catch (err) {
    if (isUserError(err)) throw err;
    return asUserError(requested, err);
  }
}

/**
 * Write `data` at a path the user chose, atomically, by the rules at the top of this file.
 * The check is made again just before the rename, so a folder or FIFO put in place while the
 * data was being written is not replaced either. Returns where the data went.
 */
export async function writeOutputFile(file: string, data: AtomicData): Promise<OutputTarget> {
  const out = await resolveOutputTarget(file);
  if (out.mode !== undefined) {
    const writable = await fs.access(out.target, constants.W_OK).then(
      () => true,
      () => false,
    );
    if (!writable) throw new UserError(`cannot write ${out.requested}: the file is read-only (no write permission)`);
  }
  try {
    await writeFileAtomic(out.target, data, {
      mode: out.mode,
      beforeRename: async () => {
        const again = await resolveOutputTarget(file);
        if (again.target !== out.target) {
          throw new UserError(`cannot write ${out.requested}: it changed while the file was being written; try again`);
        }
      },
    });
  } catch (err) {
    if (isUserError(err)) throw err;
    asUserError(out.requested, err);
  }
  return out;
}
