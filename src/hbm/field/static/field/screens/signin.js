/**
 * First sign-in on a device (online): the officer's password enrols the device, and the PIN
 * chosen here locks what the app keeps on it.
 */
import { ApiError, NetworkError } from "../api.js";
import { h, replace } from "../dom.js";
import { gettext as _ } from "../i18n.js";
import { signIn } from "../session.js";
import { PIN_PATTERN } from "../vault.js";

export function render(main) {
  const problem = h("div", { class: "notice notice--refused", role: "alert", tabindex: "-1", hidden: true, dataset: { testid: "signin-error" } });
  const form = h(
    "form",
    { class: "form card", dataset: { testid: "signin-form" }, on: { submit: (event) => submitted(event, form, problem) } },
    problem,
    input("username", _("Username"), { autocomplete: "username", autofocus: true, autocapitalize: "none" }),
    input("password", _("Password"), { type: "password", autocomplete: "current-password" }),
    input("device_name", _("Name of this device"), { value: defaultDeviceName(), hint: _("How coordinators will know it in the list of devices.") }),
    input("pin", _("New PIN (6 digits or more)"), { type: "password", inputmode: "numeric", autocomplete: "new-password", hint: _("It unlocks the app on this device. It is never sent anywhere.") }),
    input("pin_again", _("The same PIN again"), { type: "password", inputmode: "numeric", autocomplete: "new-password" }),
    h("div", { class: "actions actions--save" }, h("button", { type: "submit", class: "button button--primary button--large", dataset: { testid: "signin" } }, _("Sign in"))),
  );
  replace(
    main,
    h(
      "section",
      { class: "page--narrow", dataset: { screen: "signin" } },
      h("h1", {}, _("Sign in to the field app")),
      h("p", { class: "lead" }, _("Sign in once with the network. After that the app works without it, for as many days as your organisation allows.")),
      form,
    ),
  );
}

/** A labelled input of the sign-in forms. */
export function input(name, label, { hint, ...attributes } = {}) {
  const id = `signin-${name}`;
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    hint ? h("p", { class: "hint" }, hint) : null,
    h("input", { id, name, type: "text", required: true, ...attributes }),
  );
}

function defaultDeviceName() {
  const platform = navigator.userAgentData?.platform || navigator.platform || "";
  return `${_("Field device")} ${platform}`.trim();
}

async function submitted(event, form, problem) {
  event.preventDefault();
  const values = Object.fromEntries(new FormData(form));
  const refusal = pinProblem(values.pin, values.pin_again);
  if (refusal) {
    return showProblem(problem, refusal);
  }
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  button.textContent = _("Signing in…");
  try {
    await signIn({ username: values.username.trim(), password: values.password, deviceName: values.device_name.trim(), pin: values.pin });
  } catch (error) {
    button.disabled = false;
    button.textContent = _("Sign in");
    showProblem(problem, messageOf(error));
  }
}

function pinProblem(pin, again) {
  if (!PIN_PATTERN.test(pin)) {
    return _("The PIN must be at least 6 digits.");
  }
  return pin === again ? null : _("The two PINs are not the same.");
}

/** What to tell the officer when signing in failed. */
export function messageOf(error) {
  if (error instanceof NetworkError) {
    return _("No network: the first sign-in on a device needs it.");
  }
  if (error instanceof ApiError) {
    return error.message;
  }
  throw error;
}

export function showProblem(problem, text) {
  problem.hidden = false;
  replace(problem, text);
  problem.focus();
}
