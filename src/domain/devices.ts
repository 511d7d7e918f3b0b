import Bowser from 'bowser';
import ipaddr from 'ipaddr.js';

/**
 * What "the same device" means for new-device mails: the browser and OS family (not their
 * versions, which change with every update) on the same network, an IPv4 /24 or an IPv6 /48
 * (a home or office line; the host part changes with DHCP and privacy addresses).
 */
export function deviceKey(ip: string | null, userAgent: string | null): string {
  return `${deviceFamily(userAgent)}@${networkOf(ip)}`;
}

/** `Chrome on Windows`, for people; `unknown` parts when the agent says nothing useful. */
export function deviceFamily(userAgent: string | null): string {
  if (!userAgent) return 'unknown on unknown';
  const parsed = Bowser.parse(userAgent);
  return `${parsed.browser.name || 'unknown'} on ${parsed.os.name || 'unknown'}`;
}

export function networkOf(ip: string | null): string {
  if (ip === null || !ipaddr.isValid(ip)) return 'unknown';
  const address = ipaddr.process(ip); // IPv4-mapped IPv6 (::ffff:a.b.c.d) reads as IPv4
  const network =
    address.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/24`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/48`);
  return `${network.toString()}/${address.kind() === 'ipv4' ? 24 : 48}`;
}
