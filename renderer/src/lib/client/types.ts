// What the UI gets from createClient(), whichever transport is underneath.
import type { MnemoscopeApi } from '../../../../shared/contract';

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
  status(): ConnectionStatus;
  /** Called on every change of the connection's state; returns the unsubscribe function. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  close(): void;
}
