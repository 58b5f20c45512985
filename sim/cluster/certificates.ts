/**
 * A certificate authority and a serving certificate for the simulated API server. kubectl sends no
 * token over plain http, so the simulator speaks HTTPS and its kubeconfigs carry this CA.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface ServingCertificates {
  caCertificate: string;
  certificate: string;
  privateKey: string;
}

const validityYears = 5;

function keyPair(): {
  publicKey: forge.pki.PublicKey;
  privateKey: forge.pki.rsa.PrivateKey;
  privatePem: string;
} {
  // Node's native key generation: forge's pure-JS RSA takes seconds.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    privateKey: forge.pki.privateKeyFromPem(privatePem) as forge.pki.rsa.PrivateKey,
    privatePem,
  };
}

function baseCertificate(publicKey: forge.pki.PublicKey): forge.pki.Certificate {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = publicKey;
  certificate.serialNumber = `01${randomBytes(8).toString('hex')}`;
  certificate.validity.notBefore = new Date(Date.now() - 60_000);
  certificate.validity.notAfter = new Date();
  certificate.validity.notAfter.setFullYear(certificate.validity.notBefore.getFullYear() + validityYears);
  return certificate;
}

/** A fresh CA and a certificate for 127.0.0.1/localhost signed by it. */
export function createServingCertificates(hosts: string[] = ['127.0.0.1', 'localhost']): ServingCertificates {
  const ca = keyPair();
  const caCertificate = baseCertificate(ca.publicKey);
  const caSubject = [{ name: 'commonName', value: 'meshscope-sim-ca' }];
  caCertificate.setSubject(caSubject);
  caCertificate.setIssuer(caSubject);
  caCertificate.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCertificate.sign(ca.privateKey, forge.md.sha256.create());

  const server = keyPair();
  const serverCertificate = baseCertificate(server.publicKey);
  serverCertificate.setSubject([{ name: 'commonName', value: 'meshscope-sim-apiserver' }]);
  serverCertificate.setIssuer(caSubject);
  serverCertificate.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: hosts.map((host) =>
        /^[\d.]+$/.test(host) || host.includes(':') ? { type: 7, ip: host } : { type: 2, value: host },
      ),
    },
  ]);
  serverCertificate.sign(ca.privateKey, forge.md.sha256.create());

  return {
    caCertificate: forge.pki.certificateToPem(caCertificate),
    certificate: forge.pki.certificateToPem(serverCertificate),
    privateKey: server.privatePem,
  };
}
