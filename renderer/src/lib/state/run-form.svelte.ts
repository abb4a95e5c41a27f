// What the forms that start a run of a model over a corpus (a sweep, an ablation) share: the
// models and corpora they offer, the model and corpus they open on, and the class sets of the
// chosen corpus, listed again whenever the corpus changes.
import type { ClassSetSummary, CorpusListing } from '../../../../shared/api/corpora';
import type { ModelListing } from '../../../../shared/api/models';
import type { AppState } from './app.svelte';
import { classSetChoice } from './analyze-form';
import { LatestRequest } from './latest-request.svelte';
import { layersText } from './model-size';

/** Models that can be run: complete ones. */
export const runnableModels = (models: readonly ModelListing[]) => models.filter((m) => m.summary && m.summary.complete !== false);

/** Corpora that can be run over: imported ones. */
export const runnableCorpora = (corpora: readonly CorpusListing[]) => corpora.filter((c) => c.corpus);

/** The model select's options: each model's name and layers. */
export const modelOptions = (models: readonly ModelListing[]) =>
  models.map((m) => ({ value: m.id, label: `${m.name}${m.summary ? ` (${layersText(m.summary.architecture)})` : ''}` }));

/** The model a form opens on (`initialModel`, else the first one with a summary) and its own corpus (else the first imported one). */
export function startingChoice(models: readonly ModelListing[], corpora: readonly CorpusListing[], initialModel: string | null) {
  const model = models.find((m) => m.summary && m.id === initialModel) ?? models.find((m) => m.summary);
  const corpus = model?.summary?.corpus ?? corpora.find((c) => c.corpus)?.id ?? '';
  return { model, corpus };
}

/** The corpus a model was trained on, when the form offers it (a model is run on its own corpus by default). */
export function ownCorpus(models: readonly ModelListing[], offered: readonly CorpusListing[], modelId: string): string | null {
  const corpus = models.find((m) => m.id === modelId)?.summary?.corpus;
  return corpus && offered.some((c) => c.id === corpus) ? corpus : null;
}

/**
 * The class sets of the form's corpus: listed again when the corpus changes (a slow answer for
 * an earlier corpus is dropped), the ticked ones then kept where the new corpus has them. Made
 * while a component initialises (it owns an $effect).
 */
export class CorpusClassSets {
  readonly #listed = new LatestRequest<ClassSetSummary[]>();

  constructor(app: AppState, project: () => string, choice: { corpus: string; classSets: string[] }) {
    $effect(() => {
      const corpus = choice.corpus;
      this.#listed.clear();
      if (!corpus) return;
      void this.#listed.run(
        () => app.api.classSetList({ project: project(), corpus }),
        (sets) => {
          choice.classSets = classSetChoice(sets, choice.classSets);
        },
      );
    });
  }

  get sets(): ClassSetSummary[] {
    return this.#listed.value ?? [];
  }

  get error(): string | null {
    return this.#listed.error;
  }
}
