// Typed access to the WebAssembly global: the project compiles against ES2022 + Node types,
// which do not declare it, and the DOM lib must not be pulled into the engine.

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

export type WasmModule = object;

interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  Memory: abstract new (...args: never[]) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}

export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export function isWasmMemory(x: unknown): x is WasmMemory {
  return x instanceof wasmApi.Memory;
}
