/**
 * The PIN lock. Unlocking derives the key and checks it against a sealed known text (a wrong
 * PIN fails the AES-GCM tag check; nothing about the PIN is stored). A wrong PIN makes the next
 * try wait longer, across reloads, and reveals nothing.
 */
import { keyDerive, open, openBytes, saltNew, seal, sealBytes } from "./crypto.js";
import { get, metaGet, writeAll } from "./db.js";

const CHECK_TEXT = "hbm-field PIN check";
const CHECK_CONTEXT = "meta:pin-check";
export const PIN_PATTERN = /^\d{6,64}$/;
const MAX_WAIT_SECONDS = 300;

let key = null;

export function isUnlocked() {
  return key !== null;
}

export function lock() {
  key = null;
}

/**
 * Make the key of a new PIN and keep its check; the key is held from now on.
 * @returns {Array} the writes to `meta` that enrolment commits with the rest
 */
export async function vaultCreate(pin, iterations) {
  const salt = saltNew();
  key = await keyDerive(pin, salt, iterations);
  const check = await seal(key, CHECK_TEXT, CHECK_CONTEXT);
  return [
    { store: "meta", key: "pinSalt", value: salt },
    { store: "meta", key: "pinIterations", value: iterations },
    { store: "meta", key: "pinCheck", value: check },
    { store: "meta", key: "pinFailures", value: 0 },
  ];
}

/** Seconds to wait before the next PIN may be tried (0: now). */
export async function pinWaitSeconds() {
  const retryAt = await metaGet("pinRetryAt", 0);
  return Math.max(0, Math.ceil((retryAt - Date.now()) / 1000));
}

/**
 * Try `pin`. True: unlocked. False: wrong PIN, and the wait before the next try doubles
 * (0, 1, 3, 7 … seconds, at most 5 minutes).
 */
export async function unlock(pin) {
  const candidate = await keyDerive(pin, await metaGet("pinSalt"), await metaGet("pinIterations"));
  try {
    if ((await open(candidate, await metaGet("pinCheck"), CHECK_CONTEXT)) === CHECK_TEXT) {
      key = candidate;
      await writeAll([
        { store: "meta", key: "pinFailures", value: 0 },
        { store: "meta", key: "pinRetryAt", value: 0 },
      ]);
      return true;
    }
  } catch {
    // The tag did not match: a wrong PIN.
  }
  const failures = (await metaGet("pinFailures", 0)) + 1;
  const wait = Math.min(2 ** (failures - 1) - 1, MAX_WAIT_SECONDS);
  await writeAll([
    { store: "meta", key: "pinFailures", value: failures },
    { store: "meta", key: "pinRetryAt", value: Date.now() + wait * 1000 },
  ]);
  return false;
}

function requireKey() {
  if (!key) {
    throw new Error("locked");
  }
  return key;
}

/** Seal a JSON value for storing under `context` (for example "outbox:<id>"). */
export function sealFor(context, value) {
  return seal(requireKey(), value, context);
}

export function openFor(context, sealed) {
  return open(requireKey(), sealed, context);
}

export function sealBytesFor(context, bytes) {
  return sealBytes(requireKey(), bytes, context);
}

export function openBytesFor(context, sealed) {
  return openBytes(requireKey(), sealed, context);
}

/** A personal value kept in the vault store, or `fallback`. */
export async function secretGet(name, fallback = undefined) {
  const sealed = await get("vault", name);
  return sealed === undefined ? fallback : openFor(`vault:${name}`, sealed);
}

/** A write of a personal value, to commit together with others (see db.writeAll). */
export async function secretWrite(name, value) {
  return { store: "vault", key: name, value: await sealFor(`vault:${name}`, value) };
}
