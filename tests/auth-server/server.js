// A real OAuth 2.0 authorization server for libtasklist's tests: oidc-provider (OpenID
// Certified) on 127.0.0.1, issuing RS256 JWT access tokens by client credentials to two
// clients, one per client authentication method.
//
//   node tests/auth-server/server.js [--port N] [--audience AUD]
//
// The first line on stdout is the issuer URL (its JWKS is <issuer>/jwks, its token endpoint
// <issuer>/token). The server exits when stdin closes, so a test harness that dies cannot
// leave it running.

import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';

// Clients and secrets the tests use; they protect nothing outside a test run.
const CLIENTS = [
  {
    client_id: 'tasklist-post',
    client_secret: 'post-secret-for-tests-only',
    token_endpoint_auth_method: 'client_secret_post',
  },
  {
    client_id: 'tasklist-basic',
    client_secret: 'basic:secret/for tests&only',
    token_endpoint_auth_method: 'client_secret_basic',
  },
];

// JWT access tokens need a resource indicator, and oidc-provider accepts only absolute URIs.
const RESOURCE = 'urn:camunda:tasklist-api';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    audience: { type: 'string', default: 'tasklist-api' },
    'token-ttl': { type: 'string', default: '300' },
  },
});

/** A fresh RSA signing key per run: tokens from an earlier run can never verify. */
function signingKeys() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { keys: [{ ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' }] };
}

function providerConfiguration() {
  return {
    clients: CLIENTS.map((client) => ({
      ...client,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
    })),
    jwks: signingKeys(),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'tasklist',
          audience: options.audience,
          accessTokenTTL: Number(options['token-ttl']),
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  };
}

async function main() {
  // Listen first: the issuer URL must carry the port actually bound.
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(options.port), '127.0.0.1', resolve);
  });
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, providerConfiguration());
  server.on('request', provider.callback());
  process.stdout.write(`${issuer}\n`);

  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}

main().catch((error) => {
  console.error(`auth server failed to start: ${error.stack || error}`);
  process.exit(1);
});
