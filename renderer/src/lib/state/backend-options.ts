// The backend choices a job form offers: the engine's list, each marked "not available" (and
// disabled) when the engine tried it and it failed, with the reason a tooltip away in engineInfo.
import type { EngineInfo } from '../../../../shared/api/engine';
import type { BackendPreference } from '../../../../shared/schemas/model';

export interface BackendOption {
  value: BackendPreference;
  label: string;
  disabled: boolean;
}

export function backendOptions(backends: readonly string[], engine: EngineInfo | null): BackendOption[] {
  return backends.map((b) => {
    const attempt = engine?.backend.attempts.find((a) => a.backend === b);
    const failed = !!attempt && !attempt.ok;
    return {
      value: b as BackendPreference,
      label: b === 'auto' ? 'auto (fastest available)' : failed ? `${b} (not available)` : b,
      disabled: failed,
    };
  });
}
