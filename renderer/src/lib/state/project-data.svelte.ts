// The open project's lists (corpora, models, runs), loaded on demand and reloaded when a job
// that changes them ends. Each list keeps its own error, shown where the list is.
import type { MnemoscopeApi } from '../../../../shared/contract';
import type { CorpusListing } from '../../../../shared/api/corpora';
import type { ModelListing } from '../../../../shared/api/models';
import type { RunListing } from '../../../../shared/schemas/project';
import { messageOf } from './error-message';

export type ListName = 'corpora' | 'models' | 'runs';

/** Which lists a job of a kind changes when it ends. */
export const LISTS_CHANGED_BY: Record<string, ListName[]> = {
  'import-corpus': ['corpora'],
  train: ['models'],
  'import-model': ['models'],
  analyze: ['runs'],
  merge: ['runs'],
  ablate: ['runs'],
};

export class ProjectData {
  corpora = $state.raw<CorpusListing[]>([]);
  models = $state.raw<ModelListing[]>([]);
  runs = $state.raw<RunListing[]>([]);
  loaded = $state<Record<ListName, boolean>>({ corpora: false, models: false, runs: false });
  errors = $state<Record<ListName, string | null>>({ corpora: null, models: null, runs: null });
  private generation = 0;

  constructor(
    private readonly api: MnemoscopeApi,
    private project: string | null = null,
  ) {}

  /** Forget everything and load the lists of another project (or none). */
  switchTo(project: string | null): void {
    this.project = project;
    this.generation += 1;
    this.corpora = [];
    this.models = [];
    this.runs = [];
    this.loaded = { corpora: false, models: false, runs: false };
    this.errors = { corpora: null, models: null, runs: null };
    if (project) void this.reload();
  }

  async reload(lists: readonly ListName[] = ['corpora', 'models', 'runs']): Promise<void> {
    const project = this.project;
    if (!project) return;
    const generation = this.generation;
    await Promise.all(
      lists.map(async (list) => {
        try {
          const value =
            list === 'corpora'
              ? await this.api.corpusList({ project })
              : list === 'models'
                ? await this.api.modelList({ project })
                : await this.api.runList({ project });
          if (generation !== this.generation) return; // another project was opened meanwhile
          if (list === 'corpora') this.corpora = value as CorpusListing[];
          else if (list === 'models') this.models = value as ModelListing[];
          else this.runs = value as RunListing[];
          this.errors[list] = null;
        } catch (err) {
          if (generation === this.generation) this.errors[list] = messageOf(err);
        } finally {
          if (generation === this.generation) this.loaded[list] = true;
        }
      }),
    );
  }
}
