// Pieces of request schemas that many procedures share. Requests are strict objects:
// an unknown key is refused rather than ignored, so a typo never passes silently.
import { z } from 'zod';
import { ItemIdSchema } from '../schemas/project';

/** A folder on the engine's machine (relative paths resolve against the engine's working folder). */
export const FolderPathSchema = z.string().min(1, 'must not be empty').max(4096);

export const NoInputSchema = z.strictObject({});

export const ProjectRefSchema = z.strictObject({ project: FolderPathSchema });

export const ItemRefSchema = z.strictObject({ project: FolderPathSchema, id: ItemIdSchema });

export const DeletedSchema = z.object({ deleted: ItemIdSchema });
