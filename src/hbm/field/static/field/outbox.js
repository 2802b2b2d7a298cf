/**
 * The outbox: every record made on the device, stored (sealed) before anything else happens.
 *
 * An entry's plain part says only what the sync needs to choose and order records: id, kind,
 * status, order, dates, the id of a record it must follow (a person's group, a photo's person),
 * and the person's version on the server. The record, its label and the server's reason are
 * sealed; so is a photo.
 *
 * Statuses: "pending" (to send), "sending" (in an upload whose answer has not come back),
 * "rejected" (the server said why: to fix), "sent" (the server has it; kept for look-up).
 */
import { getAll, get, writeAll } from "./db.js";
import { openBytesFor, openFor, sealBytesFor, sealFor } from "./vault.js";

export const UNSENT = new Set(["pending", "sending", "rejected"]);
let lastSeq = 0;

/** A number that orders entries as they were made, even two in the same millisecond. */
function nextSeq() {
  lastSeq = Math.max(Date.now() * 1000, lastSeq + 1);
  return lastSeq;
}

/** A new id for a record, as the server wants it (uuid4). */
export function newId() {
  return crypto.randomUUID();
}

/**
 * The write that stores a new record; commit several together with db.writeAll.
 * @param {Object} record as the sync API takes it (id, kind, …), a photo without its bytes
 * @param {{label: string, after?: string, photo?: Blob}} details
 */
async function outboxWrite(record, { label, after = null, photo = null }) {
  const entry = {
    id: record.id,
    kind: record.kind,
    status: "pending",
    seq: nextSeq(),
    createdAt: Date.now(),
    sentAt: null,
    after,
    version: null,
    sealed: await sealFor(`outbox:${record.id}`, { record, label, error: null }),
  };
  if (photo) {
    entry.photo = await sealBytesFor(`photo:${record.id}`, await photo.arrayBuffer());
  }
  return { store: "outbox", value: entry };
}

/** Store records (all or none), in the order given. */
export async function outboxAdd(items) {
  const writes = [];
  for (const [record, details] of items) {
    writes.push(await outboxWrite(record, details));
  }
  await writeAll(writes);
}

/** Every entry, oldest first (plain parts only). */
export async function outboxEntries() {
  const entries = await getAll("outbox");
  return entries.sort((a, b) => a.seq - b.seq);
}

export function outboxEntry(id) {
  return get("outbox", id);
}

/** The sealed part of an entry: `{record, label, error}`. */
export function outboxOpen(entry) {
  return openFor(`outbox:${entry.id}`, entry.sealed);
}

/** The JPEG bytes of a photo entry. */
export function outboxPhoto(entry) {
  return openBytesFor(`photo:${entry.id}`, entry.photo);
}

/** How many records wait, how many were refused, how many the server took today. */
export function outboxCounts(entries) {
  const today = new Date().toDateString();
  const counts = { pending: 0, rejected: 0, sentToday: 0 };
  for (const entry of entries) {
    if (entry.status === "pending" || entry.status === "sending") {
      counts.pending += 1;
    } else if (entry.status === "rejected") {
      counts.rejected += 1;
    } else if (entry.sentAt && new Date(entry.sentAt).toDateString() === today) {
      counts.sentToday += 1;
    }
  }
  return counts;
}

/** A rejected (or not yet sent) record, corrected by the officer, back in the queue: same id. */
export async function outboxRequeue(entry, record, label) {
  const sealed = await sealFor(`outbox:${entry.id}`, { record, label, error: null });
  await writeAll([{ store: "outbox", value: { ...entry, status: "pending", sealed } }]);
}

/**
 * The write that records the server's answer to one record: sent (with the person's version)
 * or rejected (with the reason, sealed: it may quote what was typed).
 */
export async function outboxAnswerWrite(entry, result) {
  if (result.status !== "rejected") {
    const { photo: _sentPhoto, ...kept } = entry; // the server has the photo: free the space
    return { store: "outbox", value: { ...kept, status: "sent", sentAt: Date.now(), version: result.version } };
  }
  const opened = await outboxOpen(entry);
  const sealed = await sealFor(`outbox:${entry.id}`, { ...opened, error: result.error });
  return { store: "outbox", value: { ...entry, status: "rejected", sealed } };
}
