// PEM armour (RFC 7468) for DER objects: certificates, CRLs ("X509 CRL", never "CRL" —
// OpenSSL rejects that label, STACK-NOTES.md pitfall 2), certificate requests.

/** `-----BEGIN <label>-----`, base64 in 64-character lines, `-----END <label>-----`. */
export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * The DER inside the first PEM block whose label is one of `labels`, or undefined when there is
 * no such block or its body is not base64 (RFC 7468 §3 lax parsing: whitespace anywhere).
 */
export function fromPem(text: string, labels: readonly string[]): Buffer | undefined {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!m || !labels.includes(m[1]!)) return undefined;
  const body = m[2]!.replace(/\s+/g, '');
  if (body.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0)
    return undefined;
  return Buffer.from(body, 'base64');
}
