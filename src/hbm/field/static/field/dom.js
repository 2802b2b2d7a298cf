/**
 * Small helpers to build the screens from data. Text always goes in as text nodes, never as
 * HTML, so a name typed at the border can never become markup.
 */

/**
 * Make an element.
 * @param {string} tag
 * @param {Object<string, *>} [attributes] `class`, `dataset` (object), `on` (event → handler),
 *   properties such as `value` or `checked`, or plain attributes; null/false leave one out.
 * @param {...(Node|string|number|null|undefined|Array)} children
 * @returns {HTMLElement}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    setAttribute(element, name, value);
  }
  append(element, children);
  return element;
}

const PROPERTIES = new Set(["value", "checked", "selected", "disabled", "hidden", "open"]);

function setAttribute(element, name, value) {
  if (value === null || value === undefined || value === false) {
    return;
  }
  if (name === "on") {
    for (const [event, handler] of Object.entries(value)) {
      element.addEventListener(event, handler);
    }
  } else if (name === "dataset") {
    Object.assign(element.dataset, value);
  } else if (PROPERTIES.has(name)) {
    element[name] = value;
  } else {
    element.setAttribute(name, value === true ? "" : String(value));
  }
}

/** Append children (nested arrays, strings, numbers; null and undefined are skipped). */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

/** Replace everything in `parent` with `children`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** Say `text` to screen readers (the live region of the shell). */
export function announce(text) {
  const region = document.getElementById("announce");
  if (region) {
    region.textContent = text;
  }
}

/** Focus the first field of `root` that a keyboard user would type into first. */
export function focusFirst(root) {
  const target = root.querySelector("[autofocus], input:not([type=hidden]):not([disabled]), select, textarea, button");
  if (target) {
    target.focus();
  }
}
