/** The region part of an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID). */
export function arnRegion(arn: string): string | undefined {
  return arn.split(':')[3] || undefined;
}

// ACM wildcards cover exactly one label: *.example.com covers a.example.com, not example.com or a.b.example.com.
export function certificateCovers(names: readonly string[], host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return names.some((raw) => {
    const n = raw.toLowerCase().replace(/\.$/, '');
    if (n === h) return true;
    if (!n.startsWith('*.')) return false;
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === n.slice(2);
  });
}
