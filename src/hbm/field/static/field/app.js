/**
 * The HBM field app: starts the service worker, picks the language, and shows the screen the
 * address asks for (#/group, #/person, #/lookup, …) once the device is enrolled and unlocked.
 */
import { apiBaseSet } from "./api.js";
import { statusRender, topbarRender } from "./chrome.js";
import { focusFirst } from "./dom.js";
import { app, isEnrolled, languageInitial, languageUse, syncAutomatically } from "./session.js";
import { isUnlocked } from "./vault.js";
import * as count from "./screens/count.js";
import * as entry from "./screens/entry.js";
import * as group from "./screens/group.js";
import * as home from "./screens/home.js";
import * as lookup from "./screens/lookup.js";
import * as outbox from "./screens/outbox.js";
import * as person from "./screens/person.js";
import * as reenrol from "./screens/reenrol.js";
import * as signin from "./screens/signin.js";
import * as unlock from "./screens/unlock.js";

/** Screens by the first part of the address after "#/"; each has `render(main, ...params)`. */
const SCREENS = { "": home, count, group, person, lookup, outbox, entry, reenrol };
// What a screen needs redrawn when something changes elsewhere (another tab, a sync).
const REDRAW_ON = { outbox: ["outbox"], persons: ["lookup"], point: ["", "count", "group", "person"] };

async function boot() {
  apiBaseSet(app.config.api);
  serviceWorkerRegister();
  await languageUse(await languageInitial());
  window.addEventListener("hashchange", () => show());
  document.addEventListener("hbm:changed", (event) => onChanged(event.detail));
  syncAutomatically();
  await show();
}

function serviceWorkerRegister() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(app.config.serviceWorker, { scope: app.config.scope, type: "classic" });
  }
}

/** The screen name and parameters of the address. */
function addressOf() {
  const [name = "", ...params] = location.hash.replace(/^#\/?/, "").split("/");
  return { name: name in SCREENS ? name : "", params: params.map(decodeURIComponent) };
}

/** Draw the screen the address asks for (or sign-in / unlock first). */
async function show() {
  const main = document.getElementById("main");
  topbarRender();
  await statusRender();
  if (!(await isEnrolled())) {
    await signin.render(main);
  } else if (!isUnlocked() || !app.device) {
    await unlock.render(main);
  } else {
    const { name, params } = addressOf();
    await SCREENS[name].render(main, ...params);
  }
  main.dataset.screen = main.firstElementChild?.dataset.screen || "";
  focusFirst(main);
}

async function onChanged(what) {
  if (what === "status" || what === "outbox") {
    await statusRender();
  }
  if (what === "language" || what === "locked" || what === "unlocked") {
    await show();
    return;
  }
  if (what === "point") {
    topbarRender();
  }
  if ((REDRAW_ON[what] || []).includes(addressOf().name) && !formInUse()) {
    await show();
  }
}

/** Whether the officer is typing in a form: a background change must not wipe it. */
function formInUse() {
  const active = document.activeElement;
  return Boolean(active && active.closest("form") && active.closest("#main"));
}

boot();
