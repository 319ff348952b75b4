import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TaskTrackerError } from '@tasktracker/core';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import * as z from 'zod/mini';

/**
 * The local stand-in for a Cognito user pool: tokens are signed with a key kept in the data directory
 * and checked as API Gateway's COGNITO_USER_POOLS authorizer checks the pool's ID tokens (signature,
 * issuer, audience, expiry). The `sub` claim is the user, as in Cognito.
 */
export const LOCAL_ISSUER = 'https://cognito-idp.local/tasktracker-local';
export const LOCAL_AUDIENCE = 'tasktracker-local-client';
const ALGORITHM = 'ES256';
const KEY_FILE = 'jwt-signing-key.json';

type Key = Awaited<ReturnType<typeof importJWK>>;

export interface LocalSigningKey {
  privateKey: Key;
  publicKey: Key;
  kid: string;
}

export interface TokenVerifier {
  /** The token's claims when it is valid for this issuer and audience, else undefined. */
  verify(token: string): Promise<JWTPayload | undefined>;
}

async function keyFromJwk(jwk: JWK & { kid: string }): Promise<LocalSigningKey> {
  const { d: _secret, ...publicJwk } = jwk;
  return {
    privateKey: await importJWK(jwk, ALGORITHM),
    publicKey: await importJWK(publicJwk, ALGORITHM),
    kid: jwk.kid,
  };
}

async function newJwk(): Promise<JWK & { kid: string }> {
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: `local-${Date.now().toString(36)}` };
}

/** The saved key: a private EC JWK with its id (jose checks the curve and the numbers on import). */
const SavedKeySchema = z.looseObject({
  kty: z.literal('EC'),
  crv: z.string(),
  d: z.string(),
  kid: z.string(),
});

function parseSavedKey(file: string, text: string): JWK & { kid: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const saved = SavedKeySchema.safeParse(json);
  if (!saved.success)
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      `${file} is not a signing key: remove it and a new one is made (tokens signed with the old one stop working)`,
    );
  return saved.data;
}

/** A fresh key pair, kept only in memory (tests: a key the server does not trust forges tokens). */
export async function generateSigningKey(): Promise<LocalSigningKey> {
  return keyFromJwk(await newJwk());
}

/**
 * The data directory's signing key, created on first use with mode 0600: `tt local token` signs with
 * it and `tt local serve --auth jwt` verifies with it, in separate processes.
 */
export async function localSigningKey(dataDir: string): Promise<LocalSigningKey> {
  const file = path.join(dataDir, KEY_FILE);
  const saved = await readFile(file, 'utf8').then(
    (text) => parseSavedKey(file, text),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    },
  );
  if (saved) return keyFromJwk(saved);
  const jwk = await newJwk();
  await mkdir(dataDir, { recursive: true });
  // wx: two processes racing to create it keep the first key, and the loser reads it.
  try {
    await writeFile(file, JSON.stringify(jwk), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return localSigningKey(dataDir);
    throw error;
  }
  await chmod(file, 0o600);
  return keyFromJwk(jwk);
}

export interface LocalTokenOptions {
  user: string;
  /** A jose time span ('1h', '30m', '2d') or seconds; the default is Cognito's ID token lifetime, 1h. */
  expiresIn?: string | number;
  audience?: string;
  issuer?: string;
  email?: string;
}

/** An ID token as the local pool would issue it: sub = the user, token_use = id. */
export async function issueLocalToken(key: LocalSigningKey, options: LocalTokenOptions): Promise<string> {
  const expiresIn = options.expiresIn ?? '1h';
  return new SignJWT({
    token_use: 'id',
    'cognito:username': options.user,
    ...(options.email ? { email: options.email } : {}),
  })
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setSubject(options.user)
    .setIssuer(options.issuer ?? LOCAL_ISSUER)
    .setAudience(options.audience ?? LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(typeof expiresIn === 'number' ? Math.floor(Date.now() / 1000) + expiresIn : expiresIn)
    .sign(key.privateKey);
}

export function localTokenVerifier(
  key: LocalSigningKey,
  expected: { issuer?: string; audience?: string } = {},
): TokenVerifier {
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key.publicKey, {
          algorithms: [ALGORITHM],
          issuer: expected.issuer ?? LOCAL_ISSUER,
          audience: expected.audience ?? LOCAL_AUDIENCE,
          requiredClaims: ['sub', 'exp'],
        });
        return payload;
      } catch {
        // Any refusal (bad signature, expired, wrong issuer or audience, not a JWT) is the same 401.
        return undefined;
      }
    },
  };
}

/** The token of an `Authorization` header: API Gateway's Cognito authorizer takes it bare or as Bearer. */
export function bearerTokenOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const token = value.replace(/^Bearer\s+/i, '').trim();
  return token.length > 0 ? token : undefined;
}
