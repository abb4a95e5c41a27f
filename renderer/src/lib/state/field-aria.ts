// How a form field ties its control to the line under it: the error when there is one
// (and the control is marked invalid), else the help line, else nothing.

export interface FieldAria {
  'aria-describedby': string | undefined;
  'aria-invalid': 'true' | undefined;
}

/** The ids of the lines under a field: `${id}-error`, `${id}-help`. */
export const fieldErrorId = (id: string) => `${id}-error`;
export const fieldHelpId = (id: string) => `${id}-help`;

export function fieldAria(id: string, error: string | null | undefined, help: string | undefined): FieldAria {
  return {
    'aria-describedby': error ? fieldErrorId(id) : help ? fieldHelpId(id) : undefined,
    'aria-invalid': error ? 'true' : undefined,
  };
}
