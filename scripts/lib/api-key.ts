// Where an instance's API key may go. The list names an environment variable, never the
// key; only variables with a fixed prefix qualify, so a careless edit cannot send HOME or a
// cloud token. A key travels only over https to the API's own origin, or over http to an IP
// address the list allows by range (loopback servers in tests).
import { isIP } from "node:net";
import { AddressPolicy, type PrivateAddressSetting } from "./address-policy.ts";

export const API_KEY_PREFIX = "INSTANCE_KEY_";

/** Whether a key may be sent to this API: https, or an http address the list names in allowPrivateAddresses. */
export function keyMayTravelTo(api: string, allowPrivateAddresses: PrivateAddressSetting): boolean {
  const { protocol, hostname } = new URL(api);
  if (protocol === "https:") return true;
  const address = hostname.replace(/^\[|\]$/g, "");
  return isIP(address) !== 0 && new AddressPolicy(allowPrivateAddresses).lists(address);
}

/** The key to send to an instance's API, or undefined when there is none or it may not travel there. */
export function apiKeyFor(entry: { api: string; apiKeyEnv?: string }, env: Record<string, string | undefined>, allowPrivateAddresses: PrivateAddressSetting): string | undefined {
  if (!entry.apiKeyEnv?.startsWith(API_KEY_PREFIX) || !keyMayTravelTo(entry.api, allowPrivateAddresses)) return undefined;
  return env[entry.apiKeyEnv] || undefined;
}
