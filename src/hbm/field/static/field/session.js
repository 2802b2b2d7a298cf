/**
 * The app's state and the actions every screen shares: signing in (enrolling the device),
 * unlocking, queueing records, syncing, refreshing reference data and persons, signing out.
 */
import { ApiError, NetworkError, apiCall } from "./api.js";
import { databaseDelete, metaGet, metaSet, writeAll } from "./db.js";
import { languageActivate, languageCode } from "./i18n.js";
import { UNSENT, outboxAdd, outboxEntries } from "./outbox.js";
import { outboxPrune, syncRun, uploadReset } from "./sync.js";
import { isUnlocked, lock, secretGet, secretWrite, unlock, vaultCreate } from "./vault.js";

const config = JSON.parse(document.getElementById("field-config").textContent);
const DAY_MS = 86_400_000;
const REFRESH_EVERY_MS = 10 * 60_000;
const SYNC_EVERY_MS = 60_000;
const RETRY_MAX_MS = 60_000;

/** What the screens read. `device` and `persons` are only set while the app is unlocked. */
export const app = {
  config,
  device: null,
  reference: null,
  pointId: null,
  persons: { persons: [], groups: [] },
  sync: { running: false, completed: 0, message: null, messageKind: null },
};

/** Tell the screens that something they show has changed ("outbox", "status", "persons"). */
export function changed(what) {
  document.dispatchEvent(new CustomEvent("hbm:changed", { detail: what }));
}

export async function isEnrolled() {
  return Boolean(await metaGet("deviceId"));
}

// --- language -----------------------------------------------------------------------------------

/** The language to start in: the one last chosen on this device, else the browser's. */
export async function languageInitial() {
  const chosen = await metaGet("language");
  const offered = config.languages.map((language) => language.code);
  const browser = (navigator.languages || []).map((code) => code.split("-")[0]).find((code) => offered.includes(code));
  return chosen || browser || offered[0];
}

/** Switch the app to `code`; its reference data (names of choices) follows, from the store. */
export async function languageUse(code) {
  const language = config.languages.find((item) => item.code === code) || config.languages[0];
  await languageActivate(language, config.bidi);
  await metaSet("language", language.code);
  app.reference = (await metaGet(`reference:${language.code}`)) || app.reference;
}

// --- signing in and unlocking -------------------------------------------------------------------

/**
 * Enrol this device for an officer (online only): get its token, the reference data in every
 * language, make the PIN key, and store it all in one transaction.
 */
export async function signIn({ username, password, deviceName, pin }) {
  const enrolled = await apiCall("/enrol", {
    method: "POST",
    body: { username, password, device_name: deviceName, app_version: config.version },
  });
  const references = await referencesFetch(enrolled.token);
  const reference = references[languageCode()] || Object.values(references)[0];
  const device = { token: enrolled.token, deviceId: enrolled.device_id, name: deviceName, user: enrolled.user, crossingPoints: enrolled.crossing_points };
  const pinWrites = await vaultCreate(pin, reference.pin_iterations);
  await writeAll([
    ...pinWrites,
    await secretWrite("device", device),
    { store: "meta", key: "deviceId", value: enrolled.device_id },
    { store: "meta", key: "lastContactAt", value: Date.now() },
    { store: "meta", key: "offlineDays", value: enrolled.offline_days },
    { store: "meta", key: "pointId", value: reference.crossing_points[0]?.id || null },
    ...Object.entries(references).map(([code, body]) => ({ store: "meta", key: `reference:${code}`, value: body })),
  ]);
  await sessionStart(device);
}

/**
 * Enrol again a device whose token was revoked (found again after it was lost): the officer's
 * password gets a new token; the outbox, still sealed under the same PIN, is then sent under it.
 */
export async function signInAgain({ username, password, deviceName }) {
  const enrolled = await apiCall("/enrol", {
    method: "POST",
    body: { username, password, device_name: deviceName, app_version: config.version },
  });
  await uploadReset();
  const device = { ...app.device, token: enrolled.token, deviceId: enrolled.device_id, name: deviceName, user: enrolled.user, crossingPoints: enrolled.crossing_points };
  await writeAll([
    await secretWrite("device", device),
    { store: "meta", key: "deviceId", value: enrolled.device_id },
    { store: "meta", key: "lastContactAt", value: Date.now() },
    { store: "meta", key: "revoked", remove: true },
  ]);
  app.device = device;
  app.sync.message = null;
  changed("status");
  syncSoon(0, { refresh: true });
}

/** Reference data in every language of the app, fetched with the device's token. */
async function referencesFetch(token) {
  const entries = await Promise.all(
    config.languages.map(async (language) => [language.code, await apiCall("/reference", { token, query: { lang: language.code } })]),
  );
  return Object.fromEntries(entries);
}

/** Try a PIN; on success the app is unlocked and a sync starts if online. */
export async function unlockWith(pin) {
  if (!(await unlock(pin))) {
    return false;
  }
  await sessionStart(await secretGet("device"));
  return true;
}

async function sessionStart(device) {
  app.device = device;
  app.reference = (await metaGet(`reference:${languageCode()}`)) || app.reference;
  app.pointId = await metaGet("pointId");
  app.persons = await secretGet("persons", { persons: [], groups: [] });
  changed("unlocked");
  syncSoon(0, { refresh: true });
}

/** Forget the key and everything decrypted: the PIN is needed again. */
export function lockNow() {
  lock();
  app.device = null;
  app.persons = { persons: [], groups: [] };
  changed("locked");
}

/** The crossing point the officer registers at (from the reference data). */
export function currentPoint() {
  const points = app.reference?.crossing_points || [];
  return points.find((point) => point.id === app.pointId) || points[0] || null;
}

export async function pointChoose(id) {
  app.pointId = id;
  await metaSet("pointId", id);
  changed("point");
}

/** Whether the device has been out of touch with the server longer than the server allows. */
export async function offlineTooLong() {
  const days = await metaGet("offlineDays", 7);
  return Date.now() - (await metaGet("lastContactAt", 0)) > days * DAY_MS;
}

// --- the outbox and sync ------------------------------------------------------------------------

/** Store records in the outbox (all or none), then send them soon if online. */
export async function queue(items) {
  await outboxAdd(items);
  changed("outbox");
  syncSoon(500);
}

let timer = null;
let retryMs = 5_000;

/** Run a sync after `delay` ms (replacing one already planned). */
function syncSoon(delay, options = {}) {
  clearTimeout(timer);
  timer = setTimeout(() => syncNow(options), delay);
}

/**
 * Send the outbox, then (when asked, or every 10 minutes) fetch fresh reference data and persons.
 * @param {{refresh?: boolean}} options
 */
export async function syncNow({ refresh = false } = {}) {
  if (!isUnlocked() || !app.device || app.sync.running || !navigator.onLine) {
    return;
  }
  app.sync.running = true;
  changed("status");
  try {
    const result = await syncRun({ ...app.device, appVersion: config.version, limits: app.reference.limits });
    syncResultShow(result);
    if (result.status === "done" && (refresh || (await refreshDue()))) {
      await refreshFromServer();
    }
    await outboxPrune(await metaGet("offlineDays", 7));
  } finally {
    app.sync.running = false;
    app.sync.completed += 1;
    changed("outbox");
    changed("status");
  }
}

function syncResultShow(result) {
  app.sync.message = result.status === "revoked" || result.status === "failed" ? result.message : null;
  app.sync.messageKind = result.status;
  if (result.status === "offline" && navigator.onLine) {
    // The connection dropped mid-way (or the answer was lost): try again, less and less often.
    syncSoon(retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  } else {
    retryMs = 5_000;
  }
}

async function refreshDue() {
  return Date.now() - (await metaGet("refreshedAt", 0)) > REFRESH_EVERY_MS;
}

/** Fresh reference data (every language) and the persons of the officer's crossing points. */
async function refreshFromServer() {
  try {
    const references = await referencesFetch(app.device.token);
    const pulled = await personsPull(app.device);
    await writeAll([
      ...Object.entries(references).map(([code, body]) => ({ store: "meta", key: `reference:${code}`, value: body })),
      await secretWrite("persons", pulled),
      { store: "meta", key: "refreshedAt", value: Date.now() },
      { store: "meta", key: "offlineDays", value: references[languageCode()]?.offline_days ?? 7 },
    ]);
    app.reference = references[languageCode()] || app.reference;
    app.persons = pulled;
    changed("persons");
  } catch (error) {
    if (!(error instanceof NetworkError || error instanceof ApiError)) {
      throw error;
    }
  }
}

async function personsPull(device) {
  const persons = [];
  const groups = [];
  for (const point of device.crossingPoints) {
    const body = await apiCall("/persons", { token: device.token, query: { crossing_point: point } });
    persons.push(...body.persons);
    groups.push(...body.groups);
  }
  return { persons, groups, pulledAt: new Date().toISOString() };
}

/** Start the timers and events that sync by themselves. */
export function syncAutomatically() {
  window.addEventListener("online", () => {
    changed("status");
    syncSoon(0, { refresh: true });
  });
  window.addEventListener("offline", () => changed("status"));
  setInterval(() => syncNow(), SYNC_EVERY_MS);
}

// --- signing out --------------------------------------------------------------------------------

/** How many records the server does not have yet. */
export async function unsentCount() {
  return (await outboxEntries()).filter((entry) => UNSENT.has(entry.status)).length;
}

/** Wipe the device (refused while records are unsent: the caller says how many). */
export async function signOut() {
  if ((await unsentCount()) > 0) {
    return false;
  }
  await tokenEnd();
  lockNow();
  await databaseDelete();
  return true;
}

/** Tell the server this device's token ends (when unlocked and online); offline, the wipe goes on
 * and the token ends when a coordinator revokes the device. */
async function tokenEnd() {
  if (!app.device || !app.device.token) {
    return;
  }
  try {
    await apiCall("/sign-out", { method: "POST", token: app.device.token });
  } catch (error) {
    if (!(error instanceof NetworkError || error instanceof ApiError)) {
      throw error;
    }
  }
}
