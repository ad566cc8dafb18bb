import { BlockList, isIP } from "node:net";

// Addresses a server must not be led to call on a stranger's say-so (SSRF): private networks,
// link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, "this network", multicast and
// reserved ranges. Loopback is separate: allowed only where the caller says so.
const privateRanges = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 3],
] as const) {
  privateRanges.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  privateRanges.addSubnet(network, prefix, "ipv6");
}

const loopbackRanges = new BlockList();
loopbackRanges.addSubnet("127.0.0.0", 8, "ipv4");
loopbackRanges.addAddress("::1", "ipv6");

/** An IPv6 address that carries an IPv4 one (::ffff:10.0.0.1): judged as that IPv4 address. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

export function isLoopbackAddress(address: string): boolean {
  const ip = unmapped(address);
  const family = isIP(ip);
  return family !== 0 && loopbackRanges.check(ip, family === 4 ? "ipv4" : "ipv6");
}

/** A private, link-local or reserved address (not loopback, which isLoopbackAddress answers). */
export function isPrivateAddress(address: string): boolean {
  const ip = unmapped(address);
  const family = isIP(ip);
  if (family === 0) return false;
  return privateRanges.check(ip, family === 4 ? "ipv4" : "ipv6");
}

/** A URL's host without IPv6 brackets. */
export function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

export function isLoopbackHost(url: URL): boolean {
  const host = bareHostname(url);
  return host === "localhost" || isLoopbackAddress(host);
}

/**
 * Where an agent may ask for the user's browser to be sent back: https on a public host, or plain
 * http on this machine (a desktop agent listening on a local port). Never a private address, a
 * fragment, credentials or another scheme. The server never calls these itself (the browser
 * does), so host names are judged as written, not resolved.
 */
export function redirectUriProblem(value: string): string | undefined {
  if (!URL.canParse(value)) return "is not a URL";
  const url = new URL(value);
  if (url.hash !== "" || value.includes("#")) return "has a fragment";
  if (url.username !== "" || url.password !== "") return "carries credentials";
  if (url.protocol !== "https:" && url.protocol !== "http:") return "is neither https nor http";
  if (isPrivateAddress(bareHostname(url))) return "points at a private address";
  if (url.protocol === "http:" && !isLoopbackHost(url)) return "is http off loopback";
  return undefined;
}
