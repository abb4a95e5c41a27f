// Open projects, one store per folder, so every call does not re-open (and re-tidy) the
// project. projectOpen refreshes the entry, which is how a user picks up outside changes.
import path from 'node:path';
import { createProject, openProject, type ProjectStore } from '../project';

export class ProjectCache {
  private readonly stores = new Map<string, Promise<ProjectStore>>();

  /** The store of the project in `dir`, opened on first use. */
  get(dir: string): Promise<ProjectStore> {
    const key = path.resolve(dir);
    return this.stores.get(key) ?? this.remember(key, openProject(key));
  }

  /** Opens the project afresh (tidying crash leftovers) and keeps the new store. */
  reopen(dir: string): Promise<ProjectStore> {
    const key = path.resolve(dir);
    return this.remember(key, openProject(key));
  }

  create(dir: string, name: string): Promise<ProjectStore> {
    const key = path.resolve(dir);
    return this.remember(key, createProject(key, name));
  }

  private remember(key: string, opening: Promise<ProjectStore>): Promise<ProjectStore> {
    this.stores.set(key, opening);
    // A failed open is not kept: the next call tries again (the user may fix the folder).
    opening.catch(() => {
      if (this.stores.get(key) === opening) this.stores.delete(key);
    });
    return opening;
  }
}
