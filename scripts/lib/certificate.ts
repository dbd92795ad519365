// The TLS certificate keys of an entry: when the certificate of the listed URL's origin
// expires and how many days that leaves, read from the connection the probe made anyway.
import { isoSeconds } from "./probe-kind.ts";

const DAY_MS = 86_400_000;

export interface CertificateKeys {
  tls_expires_at: string | null;
  tls_days_left: number | null;
}

/**
 * For https instances only. `expiresAt` is what this run's connection presented (null when it made none, or spoke
 * http); then the previous run's date is kept, as other values of an instance that did not
 * answer are, so an instance that is down now and then does not lose and regain it.
 */
export function certificateKeys(expiresAt: string | null, checkedAt: string, previous: Partial<CertificateKeys> | undefined, protocol: string): CertificateKeys | Record<string, never> {
  // An http instance has no certificate: the keys are left out rather than null.
  if (protocol !== "https") return {};
  const date = expiresAt ?? previous?.tls_expires_at ?? null;
  if (date === null) return { tls_expires_at: null, tls_days_left: null };
  return { tls_expires_at: isoSeconds(new Date(date)), tls_days_left: Math.floor((Date.parse(date) - Date.parse(checkedAt)) / DAY_MS) };
}
