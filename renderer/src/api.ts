// The renderer's client of the contract. In Electron the preload provides window.mnemoscope.
import type { MnemoscopeApi } from '../../shared/contract';

declare global {
  interface Window {
    mnemoscope?: MnemoscopeApi;
  }
}

export function getApi(): MnemoscopeApi | null {
  return window.mnemoscope ?? null;
}
