/**
 * Exactly-once upload of the outbox.
 *
 * One upload at a time on the device (a Web Lock shared by every tab). Before an upload is sent,
 * its Idempotency-Key and its exact body are stored, and its records marked "sending", in one
 * transaction: if the answer is lost, the next try sends the same key and the same body, and the
 * server answers what it answered the first time. Only an answer changes a record's status.
 * After the outbox is empty (or only rejected records are left), an upload with no records
 * tells the server how many records the device still holds.
 */
import { ApiError, NetworkError, apiCall } from "./api.js";
import { metaGet, metaSet, remove, writeAll } from "./db.js";
import { outboxAnswerWrite, outboxEntries, outboxOpen, outboxPhoto, outboxCounts } from "./outbox.js";
import { base64Of } from "./photo.js";
import { secretGet, secretWrite } from "./vault.js";

const LOCK = "hbm-sync";

/**
 * Send everything that can be sent.
 * @param {{token: string, deviceId: string, appVersion: string, limits: Object}} device
 * @returns {Promise<{status: "done"|"busy"|"offline"|"failed"|"revoked", message?: string}>}
 */
export function syncRun(device) {
  return navigator.locks.request(LOCK, { ifAvailable: true }, async (lock) => {
    if (!lock) {
      return { status: "busy" };
    }
    try {
      await uploadAll(device);
      await reportOutbox(device);
      await metaSet("lastSyncAt", new Date().toISOString());
      return { status: "done" };
    } catch (error) {
      return failureOf(error);
    }
  });
}

async function failureOf(error) {
  if (error instanceof NetworkError) {
    return { status: "offline" };
  }
  if (error instanceof ApiError && error.code === "device_revoked") {
    await metaSet("revoked", true);
    return { status: "revoked", message: error.message };
  }
  if (error instanceof ApiError) {
    return { status: "failed", message: error.message };
  }
  throw error;
}

async function uploadAll(device) {
  for (;;) {
    const upload = (await storedUpload()) || (await uploadPrepare(device));
    if (!upload) {
      return;
    }
    await uploadSend(device, upload);
  }
}

/** The upload whose answer has not come back, if any. */
async function storedUpload() {
  const key = await metaGet("uploadKey");
  if (!key) {
    return null;
  }
  return { key, ids: await metaGet("uploadIds"), body: await secretGet("upload") };
}

/**
 * Choose the next records to send (in the order they were made, none before a record it must
 * follow, within the batch limits) and store the upload before it is sent.
 */
async function uploadPrepare(device) {
  const entries = await outboxEntries();
  const chosen = await batchChoose(entries, device.limits);
  if (chosen.length === 0) {
    return null;
  }
  const counts = outboxCounts(entries);
  const body = JSON.stringify({
    device_id: device.deviceId,
    pending: counts.pending,
    rejected: counts.rejected,
    app_version: device.appVersion,
    records: chosen.map((item) => item.record),
  });
  const upload = { key: crypto.randomUUID(), ids: chosen.map((item) => item.entry.id), body };
  await writeAll([
    { store: "meta", key: "uploadKey", value: upload.key },
    { store: "meta", key: "uploadIds", value: upload.ids },
    await secretWrite("upload", body),
    ...chosen.map((item) => ({ store: "outbox", value: { ...item.entry, status: "sending" } })),
  ]);
  return upload;
}

async function batchChoose(entries, limits) {
  const status = new Map(entries.map((entry) => [entry.id, entry.status]));
  const chosen = [];
  let bytes = 0;
  for (const entry of entries) {
    if (entry.status !== "pending" || chosen.length >= limits.batch_max_records) {
      continue;
    }
    const before = status.get(entry.after);
    if (entry.after && before !== undefined && before !== "sent" && before !== "chosen") {
      continue; // its group or person is not on the server yet: it waits for it
    }
    const record = await recordToSend(entry);
    const size = JSON.stringify(record).length;
    if (chosen.length > 0 && bytes + size > limits.batch_max_bytes * 0.9) {
      break;
    }
    chosen.push({ entry, record });
    status.set(entry.id, "chosen");
    bytes += size;
  }
  return chosen;
}

async function recordToSend(entry) {
  const { record } = await outboxOpen(entry);
  if (entry.kind === "photo") {
    return { ...record, photo: base64Of(await outboxPhoto(entry)) };
  }
  return record;
}

async function uploadSend(device, upload) {
  let answer;
  try {
    answer = await apiCall("/sync", {
      method: "POST",
      token: device.token,
      body: upload.body,
      headers: { "Idempotency-Key": upload.key },
    });
  } catch (error) {
    if (error instanceof ApiError && error.code === "idempotency_key_reused") {
      await uploadForget(upload, []);
      return;
    }
    if (error instanceof ApiError && error.status === 422) {
      await uploadRefused(upload, error);
      return;
    }
    throw error;
  }
  await uploadAnswered(upload, answer);
}

/** Apply the server's answer: each record sent or rejected, and the upload done. */
async function uploadAnswered(upload, answer) {
  const entries = new Map((await outboxEntries()).map((entry) => [entry.id, entry]));
  const writes = [];
  for (const result of answer.results) {
    const entry = entries.get(result.id);
    if (entry) {
      writes.push(await outboxAnswerWrite(entry, result));
    }
  }
  await uploadForget(upload, writes);
  await metaSet("lastContactAt", Date.now());
}

/**
 * The server refused the whole upload (a malformed batch, nothing stored): the record it names
 * is rejected with the reason, the others go back in the queue.
 */
async function uploadRefused(upload, error) {
  const entries = new Map((await outboxEntries()).map((entry) => [entry.id, entry]));
  const named = new Set(Object.keys(error.fields).map((path) => Number(/^records\.(\d+)\./.exec(path)?.[1])));
  const writes = [];
  for (const [index, id] of upload.ids.entries()) {
    const entry = entries.get(id);
    if (named.has(index) || named.has(NaN)) {
      writes.push(await outboxAnswerWrite(entry, { status: "rejected", error: { code: error.code, message: error.message, fields: error.fields } }));
    }
  }
  await uploadForget(upload, writes);
}

/** Drop the stored upload; records it held that got no answer go back to "pending". */
async function uploadForget(upload, writes) {
  const answered = new Set(writes.map((write) => write.value.id));
  const entries = new Map((await outboxEntries()).map((entry) => [entry.id, entry]));
  const back = upload.ids
    .filter((id) => !answered.has(id) && entries.get(id)?.status === "sending")
    .map((id) => ({ store: "outbox", value: { ...entries.get(id), status: "pending" } }));
  await writeAll([
    ...writes,
    ...back,
    { store: "meta", key: "uploadKey", remove: true },
    { store: "meta", key: "uploadIds", remove: true },
    { store: "vault", key: "upload", remove: true },
  ]);
}

/**
 * Drop an upload whose answer never came (its records go back in the queue): needed when the
 * device is enrolled again, as the stored body names the old device. Records already stored by
 * the server come back as "already_stored" under their ids.
 */
export function uploadReset() {
  return navigator.locks.request(LOCK, async () => {
    const upload = await storedUpload();
    if (upload) {
      await uploadForget(upload, []);
    }
  });
}

/** Tell the server how many records the device holds (an upload with no records). */
async function reportOutbox(device) {
  const counts = outboxCounts(await outboxEntries());
  await apiCall("/sync", {
    method: "POST",
    token: device.token,
    body: { device_id: device.deviceId, pending: counts.pending, rejected: counts.rejected, app_version: device.appVersion, records: [] },
    headers: { "Idempotency-Key": crypto.randomUUID() },
  });
  await metaSet("lastContactAt", Date.now());
}

/** Sent records older than `days` leave the device (the server has them). */
export async function outboxPrune(days) {
  const limit = Date.now() - days * 86_400_000;
  for (const entry of await outboxEntries()) {
    if (entry.status === "sent" && entry.sentAt < limit) {
      await remove("outbox", entry.id);
    }
  }
}
