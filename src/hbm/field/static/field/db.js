/**
 * The app's IndexedDB database "hbm-field", as promises.
 *
 * Stores:
 * - `meta`: plain settings that are not personal (device id, salt, PIN check, dates, counters,
 *   the pending upload's key, reference data);
 * - `vault`: named values sealed with the PIN key (the device token, the officer, pulled persons);
 * - `outbox`: one entry per record made on the device. Only its id, kind, status and dates are
 *   plain; the record itself, its label, the server's reason and any photo are sealed.
 */

const NAME = "hbm-field";
const VERSION = 1;

let opening = null;

function upgrade(database) {
  for (const name of ["meta", "vault"]) {
    if (!database.objectStoreNames.contains(name)) {
      database.createObjectStore(name);
    }
  }
  if (!database.objectStoreNames.contains("outbox")) {
    database.createObjectStore("outbox", { keyPath: "id" });
  }
}

/** The open database (opened once per page). */
function database() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = () => upgrade(request.result);
      request.onsuccess = () => {
        // Another tab signing out deletes the database: let it, and open afresh next time.
        request.result.onversionchange = () => {
          request.result.close();
          opening = null;
        };
        resolve(request.result);
      };
      request.onerror = () => reject(request.error);
    });
  }
  return opening;
}

/** The result of an IDBRequest, as a promise. */
function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export async function get(store, key) {
  const db = await database();
  return done(db.transaction(store).objectStore(store).get(key));
}

export async function getAll(store) {
  const db = await database();
  return done(db.transaction(store).objectStore(store).getAll());
}

export async function put(store, value, key) {
  const db = await database();
  const transaction = db.transaction(store, "readwrite");
  const request = key === undefined ? transaction.objectStore(store).put(value) : transaction.objectStore(store).put(value, key);
  await done(request);
  await committed(transaction);
}

export async function remove(store, key) {
  const db = await database();
  const transaction = db.transaction(store, "readwrite");
  transaction.objectStore(store).delete(key);
  await committed(transaction);
}

/**
 * Apply several writes in one transaction: all of them or none.
 * @param {Array<{store: string, value?: *, key?: *, remove?: boolean}>} writes
 */
export async function writeAll(writes) {
  const names = [...new Set(writes.map((write) => write.store))];
  if (names.length === 0) {
    return;
  }
  const db = await database();
  const transaction = db.transaction(names, "readwrite");
  for (const write of writes) {
    const store = transaction.objectStore(write.store);
    if (write.remove) {
      store.delete(write.key);
    } else if (write.key === undefined) {
      store.put(write.value);
    } else {
      store.put(write.value, write.key);
    }
  }
  await committed(transaction);
}

function committed(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = resolve;
    transaction.onabort = () => reject(transaction.error);
    transaction.onerror = () => reject(transaction.error);
  });
}

/** A plain setting of `meta`, or `fallback`. */
export async function metaGet(key, fallback = undefined) {
  const value = await get("meta", key);
  return value === undefined ? fallback : value;
}

export function metaSet(key, value) {
  return put("meta", value, key);
}

/** Delete the whole database: what sign-out does once everything is sent. */
export async function databaseDelete() {
  if (opening) {
    (await opening).close();
    opening = null;
  }
  await new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(NAME);
    request.onsuccess = resolve;
    request.onerror = () => reject(request.error);
    request.onblocked = resolve;
  });
}
