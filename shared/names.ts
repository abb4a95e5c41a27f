// The names of the contract's procedures and events, as plain data with no imports, so
// the renderer and the sandboxed preload can build their API objects without loading
// zod. contract.ts checks at compile time that these lists match its schema maps exactly.

export const PROCEDURE_NAMES = [
  'engineInfo',
  'settingsGet',
  'settingsSet',
  'projectCreate',
  'projectOpen',
  'projectInfo',
  'projectRecent',
  'projectDemo',
  'corpusList',
  'corpusShow',
  'classSetList',
  'classSetAdd',
  'corpusPreview',
  'corpusDelete',
  'modelList',
  'modelShow',
  'modelDelete',
  'modelInspect',
  'runList',
  'runShow',
  'runShowPartial',
  'runShowAblation',
  'runCompare',
  'runDelete',
  'runFindings',
  'runExport',
  'runExportText',
  'jobStart',
  'jobCancel',
  'jobList',
  'jobDefaults',
] as const;
export type ProcedureName = (typeof PROCEDURE_NAMES)[number];

export const EVENT_NAMES = ['jobProgress', 'jobEnd', 'jobLog'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/**
 * Procedures that write to a path of the caller's choosing on the engine's machine. The CLI
 * and the desktop app (whose user owns that machine) call them; the WebSocket server refuses
 * them, since its browser may be elsewhere: it gets the content (runExportText) and saves it.
 */
export const HOST_FILE_WRITERS: readonly ProcedureName[] = ['runExport'];

/** The preload's and the client's subscription function for an event: jobProgress → onJobProgress. */
export type SubscriberName<E extends EventName> = `on${Capitalize<E>}`;
export function subscriberName<E extends EventName>(event: E): SubscriberName<E> {
  return `on${event[0].toUpperCase()}${event.slice(1)}` as SubscriberName<E>;
}

/** Electron IPC channels: one per procedure (invoke) and one per event type (main → renderer). */
export const IPC_PREFIX = 'mnemoscope:';
export const IPC_EVENT_PREFIX = 'mnemoscope:event:';

/**
 * The desktop-only API (shared/desktop.ts), apart from the engine's contract: the Electron
 * preload exposes it on window.mnemoscopeDesktop, and its one channel carries path picks
 * (native file and folder dialogs). Browser mode has neither.
 */
export const DESKTOP_GLOBAL = 'mnemoscopeDesktop';
export const IPC_PICK_PATH = 'mnemoscope:desktop:pickPath';
