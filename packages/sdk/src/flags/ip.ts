/**
 * IPv4 / IPv6 addresses and CIDR ranges, parsed once at compile time (no dependency). An address is a list of
 * 16-bit groups (2 for IPv4, 8 for IPv6) and a prefix length; a bare address is a /32 or /128 range.
 */

export interface IpRange {
  v6: boolean;
  groups: number[];
  /** Prefix length: 0–32 (IPv4) or 0–128 (IPv6). */
  bits: number;
}

const V4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function v4Groups(s: string): number[] | null {
  const m = V4.exec(s);
  if (!m) return null;
  return [(Number(m[1]) << 8) | Number(m[2]), (Number(m[3]) << 8) | Number(m[4])];
}

function v6Groups(s: string): number[] | null {
  if (s.length > 45 || s.length < 2) return null;
  let tail: number[] = [];
  let text = s;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) !== -1) {
    const v4 = v4Groups(s.slice(lastColon + 1));
    if (!v4) return null;
    tail = v4;
    text = s.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
    if (text === '') return null;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!HEX_GROUP.test(g)) return null;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0] as string);
  if (!head) return null;
  if (halves.length === 1) {
    const all = [...head, ...tail];
    return all.length === 8 ? all : null;
  }
  const rest = parse(halves[1] as string);
  if (!rest) return null;
  const known = head.length + rest.length + tail.length;
  if (known > 7) return null;
  return [...head, ...new Array<number>(8 - known).fill(0), ...rest, ...tail];
}

/** `10.0.0.0/8`, `192.168.1.7`, `2001:db8::/32`, `::1`; null when not a valid address or range. */
export function parseIpRange(text: string): IpRange | null {
  const slash = text.indexOf('/');
  const addr = slash === -1 ? text : text.slice(0, slash);
  const maskText = slash === -1 ? null : text.slice(slash + 1);
  if (maskText !== null && !/^\d{1,3}$/.test(maskText)) return null;
  const v4 = v4Groups(addr);
  if (v4) {
    const bits = maskText === null ? 32 : Number(maskText);
    return bits > 32 || (maskText !== null && maskText.length > 2) ? null : { v6: false, groups: v4, bits };
  }
  const v6 = addr.includes(':') ? v6Groups(addr) : null;
  if (!v6) return null;
  const bits = maskText === null ? 128 : Number(maskText);
  return bits > 128 ? null : { v6: true, groups: v6, bits };
}

const recent = new Map<string, IpRange | null>();

/**
 * A plain address (no prefix length); null when invalid. Context addresses repeat across the flags of one
 * evaluation, so the last few hundred parses are remembered (results are frozen).
 */
export function parseIp(text: string): IpRange | null {
  const hit = recent.get(text);
  if (hit !== undefined) return hit;
  const parsed = text.includes('/') ? null : parseIpRange(text);
  if (parsed !== null) Object.freeze(parsed.groups);
  if (recent.size >= 512) recent.clear();
  recent.set(text, parsed === null ? null : Object.freeze(parsed));
  return parsed;
}

/** Whether `ip` (an address) lies in `range` (same family only, as the Unleash SDKs do). */
export function ipInRange(ip: IpRange, range: IpRange): boolean {
  if (ip.v6 !== range.v6) return false;
  let bits = range.bits;
  for (let i = 0; bits > 0; i++, bits -= 16) {
    const a = ip.groups[i] as number;
    const b = range.groups[i] as number;
    if (bits >= 16) {
      if (a !== b) return false;
    } else {
      const mask = (0xffff << (16 - bits)) & 0xffff;
      if ((a & mask) !== (b & mask)) return false;
    }
  }
  return true;
}
