// The stable URLs the TA writes into the certificates it signs (RFC 5280 §4.2.1.13 CRL
// distribution points, §4.2.2.1 authority information access). Each CA generation — the root and
// every issuing intermediate — has its own CRL and certificate URL, named by its kid (RFC 7638
// thumbprint), so a certificate keeps pointing at its own issuer's CRL after a rotation.

export interface CaUrls {
  /** Base URL without a trailing slash, e.g. `https://ta.example`. */
  base: string;
  /** The CRL signed by the CA `kid`, DER (`GET /v1/crl/{kid}`); `.pem` for PEM. */
  crl(kid: string): string;
  /** The CA certificate `kid`, DER (`GET /v1/trust/ca/{kid}.cer`): AIA caIssuers. */
  caIssuers(kid: string): string;
  /** The OCSP responder (`POST /v1/ocsp`, `GET /v1/ocsp/{request}`): AIA id-ad-ocsp. */
  ocsp: string;
}

export function caUrls(publicUrl: string): CaUrls {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    base,
    crl: (kid) => `${base}/v1/crl/${kid}`,
    caIssuers: (kid) => `${base}/v1/trust/ca/${kid}.cer`,
    ocsp: `${base}/v1/ocsp`,
  };
}
