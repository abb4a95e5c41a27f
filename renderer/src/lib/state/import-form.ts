// What the corpus and model import forms take from their view: the same contract.

export interface ImportFormProps {
  project: string;
  /** ids already used in the project, refused for the new item */
  takenIds: ReadonlySet<string>;
  onstarted: (jobId: string) => void;
  /** The engine's message when the last job started from this form failed. */
  failure?: string | null;
  oncancel: () => void;
}
