/**
 * Encryption of personal data at rest on the device, with WebCrypto only.
 *
 * The key is AES-256-GCM derived from the officer's PIN and a random salt by PBKDF2-SHA256
 * (the iteration count comes from the server: OWASP's 600,000 in production). It is made
 * non-extractable: script can use it but never read it, and it lives in memory only.
 * Every sealed value names what it is (`context`, bound as GCM additional data), so a sealed
 * value cannot be moved to another record and still open.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** 16 random bytes for a new PIN key. */
export function saltNew() {
  return crypto.getRandomValues(new Uint8Array(16));
}

/**
 * The AES-GCM key of `pin`.
 * @param {string} pin
 * @param {Uint8Array} salt
 * @param {number} iterations
 * @returns {Promise<CryptoKey>}
 */
export async function keyDerive(pin, salt, iterations) {
  const material = await crypto.subtle.importKey("raw", encoder.encode(pin), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/**
 * Encrypt bytes. The result is what is stored: `{iv, data}`, with `data` an ArrayBuffer whose
 * length is that of `bytes` plus the 16-byte tag.
 */
export async function sealBytes(key, bytes, context) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(context) }, key, bytes);
  return { iv, data };
}

/** Decrypt what sealBytes made; rejects (OperationError) under the wrong key or context. */
export async function openBytes(key, sealed, context) {
  return crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv, additionalData: encoder.encode(context) }, key, sealed.data);
}

/** Encrypt a JSON value. */
export function seal(key, value, context) {
  return sealBytes(key, encoder.encode(JSON.stringify(value)), context);
}

/** Decrypt a JSON value sealed with `seal`. */
export async function open(key, sealed, context) {
  return JSON.parse(decoder.decode(await openBytes(key, sealed, context)));
}
