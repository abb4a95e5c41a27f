// What the UI gets from createClient(), whichever transport is underneath.
import type { MnemoscopeApi } from '../../../../shared/contract';
import type { PickPath } from '../../../../shared/desktop';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface ConnectionStatus {
  state: ConnectionState;
  /** For people: why it is not connected, or what it is waiting for. */
  detail: string;
}

export interface EngineClient {
  /** One function per procedure (a failure throws CallFailedError) and onJobProgress/onJobEnd/onJobLog. */
  readonly api: MnemoscopeApi;
  readonly transport: 'electron' | 'websocket';
  /**
   * The native file and folder dialog (Electron only; null in browser mode, where the paths
   * are on the server's machine, whose disk the browser cannot see).
   */
  readonly pickPath: PickPath | null;
  status(): ConnectionStatus;
  /** Called on every change of the connection's state; returns the unsubscribe function. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  close(): void;
}
