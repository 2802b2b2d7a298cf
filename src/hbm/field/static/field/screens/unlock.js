/**
 * The PIN screen. It shows nothing personal: a wrong PIN gets "Wrong PIN" and a wait that
 * grows with each failure. Without the PIN nothing kept on the device can be read; if everything
 * was sent, the officer may wipe the device and sign in again.
 */
import { h, replace } from "../dom.js";
import { gettext as _, interpolate, ngettext } from "../i18n.js";
import { signOut, unlockWith, unsentCount } from "../session.js";
import { pinWaitSeconds } from "../vault.js";

export async function render(main) {
  const message = h("p", { class: "notice notice--refused", role: "alert", tabindex: "-1", hidden: true, dataset: { testid: "unlock-error" } });
  const pin = h("input", { id: "unlock-pin", name: "pin", type: "password", inputmode: "numeric", autocomplete: "current-password", required: true, autofocus: true, dataset: { testid: "pin" } });
  const button = h("button", { type: "submit", class: "button button--primary button--large", dataset: { testid: "unlock" } }, _("Unlock"));
  const form = h(
    "form",
    { class: "form card", on: { submit: (event) => submitted(event, { pin, button, message }) } },
    message,
    h("div", { class: "field" }, h("label", { for: "unlock-pin" }, _("PIN")), pin),
    h("div", { class: "actions actions--save" }, button),
  );
  replace(
    main,
    h(
      "section",
      { class: "page--narrow", dataset: { screen: "unlock" } },
      h("h1", {}, _("Unlock the field app")),
      form,
      h("details", { class: "group group--details" }, h("summary", {}, _("Forgotten PIN?")), forgottenHelp()),
    ),
  );
  await waitIfNeeded({ pin, button, message });
}

async function submitted(event, parts) {
  event.preventDefault();
  parts.button.disabled = true;
  const accepted = await unlockWith(parts.pin.value);
  if (accepted) {
    return;
  }
  parts.pin.value = "";
  parts.message.hidden = false;
  replace(parts.message, _("Wrong PIN."));
  await waitIfNeeded(parts);
  parts.pin.focus();
}

/** Keep the form closed while the wait after wrong PINs runs, counting down. */
async function waitIfNeeded({ pin, button, message }) {
  let seconds = await pinWaitSeconds();
  pin.disabled = seconds > 0;
  button.disabled = seconds > 0;
  while (seconds > 0) {
    message.hidden = false;
    replace(message, _("Wrong PIN."), " ", interpolate(ngettext("Try again in %(count)s second.", "Try again in %(count)s seconds.", seconds), { count: seconds }));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    seconds = await pinWaitSeconds();
  }
  pin.disabled = false;
  button.disabled = false;
}

function forgottenHelp() {
  const result = h("p", { role: "status" });
  const wipe = async () => {
    const unsent = await unsentCount();
    if (unsent > 0) {
      replace(result, interpolate(ngettext("%(count)s record on this device is not on the server yet: only your PIN can send it.", "%(count)s records on this device are not on the server yet: only your PIN can send them.", unsent), { count: unsent }));
      return;
    }
    await signOut();
    location.reload();
  };
  return h(
    "div",
    {},
    h("p", {}, _("The PIN cannot be recovered: it is the key to what this app keeps. If every record has reached the server, you can remove the app's data and sign in again.")),
    h("button", { type: "button", class: "button button--danger", dataset: { testid: "wipe" }, on: { click: wipe } }, _("Remove this device's data")),
    result,
  );
}
