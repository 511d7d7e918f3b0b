import { describe, expect, it } from 'vitest';
import { deviceFamily, deviceKey, networkOf } from '../../src/domain/devices';

const CHROME_WINDOWS_120 =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const CHROME_WINDOWS_131 =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

describe('device keys', () => {
  it('when the browser updates on the same network, then it is the same device', () => {
    expect(deviceKey('203.0.113.7', CHROME_WINDOWS_120)).toBe(deviceKey('203.0.113.200', CHROME_WINDOWS_131));
    expect(deviceFamily(CHROME_WINDOWS_120)).toBe('Chrome on Windows');
  });

  it('when the network or the browser family differs, then it is another device', () => {
    expect(deviceKey('203.0.114.7', CHROME_WINDOWS_120)).not.toBe(deviceKey('203.0.113.7', CHROME_WINDOWS_120));
    expect(deviceKey('203.0.113.7', SAFARI_IPHONE)).not.toBe(deviceKey('203.0.113.7', CHROME_WINDOWS_120));
  });

  it('when addresses are IPv6 or IPv4-mapped, then the network is the /48 or the /24', () => {
    expect(networkOf('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(networkOf('2001:db8:abcd:ffff::2')).toBe('2001:db8:abcd::/48');
    expect(networkOf('::ffff:198.51.100.9')).toBe('198.51.100.0/24');
    expect(networkOf(null)).toBe('unknown');
    expect(networkOf('not an address')).toBe('unknown');
  });
});
