/**
 * Group tokens made on the device: the same contract as the server's hbm.engines.tokens.
 *
 * 8 random characters and 1 check character from a 32-character alphabet without the
 * lookalikes 0/O and 1/I. The check character is Luhn mod N (N = 32), computed as
 * python-stdnum's stdnum.luhn does, so the server accepts every token made here and both sides
 * refuse the same mistyped ones. Display form: XXXX-XXXX-C.
 */
import { gettext as _, interpolate } from "./i18n.js";

export const TOKEN_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const BODY_LENGTH = 8;
const TOKEN_LENGTH = BODY_LENGTH + 1;
// Word processors and phone keyboards put these where people meant a hyphen.
const SEPARATORS = new Set(["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"]);
const NEVER_USED = new Set(["0", "1", "I", "O"]);

/** A token that does not pass the check; `code` is "length", "character" or "check". */
export class TokenError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** Luhn mod N checksum of `text` (characters of the alphabet): 0 for a valid token. */
function checksum(text) {
  const n = TOKEN_ALPHABET.length;
  let sum = 0;
  [...text].reverse().forEach((char, index) => {
    const value = TOKEN_ALPHABET.indexOf(char);
    if (index % 2 === 0) {
      sum += value;
    } else {
      const doubled = value * 2;
      sum += Math.floor(doubled / n) + (doubled % n);
    }
  });
  return sum % n;
}

/** The check character of an 8-character body. */
function tokenCheckCharacter(body) {
  const n = TOKEN_ALPHABET.length;
  return TOKEN_ALPHABET[(n - checksum(body + TOKEN_ALPHABET[0])) % n];
}

/** A new token in canonical form, from the browser's cryptographic random numbers. */
export function tokenGenerate() {
  // 256 is a multiple of 32: taking the low 5 bits of each byte keeps every character equally likely.
  const bytes = crypto.getRandomValues(new Uint8Array(BODY_LENGTH));
  const body = Array.from(bytes, (byte) => TOKEN_ALPHABET[byte & 31]).join("");
  return body + tokenCheckCharacter(body);
}

/** `text` upper-cased without spaces or dashes; lookalikes are left for the check to report. */
export function tokenNormalise(text) {
  return [...String(text).toUpperCase()].filter((char) => !/\s/.test(char) && !SEPARATORS.has(char)).join("");
}

/**
 * The canonical token for `text`, or a TokenError saying what is wrong with it.
 * @param {string} text
 * @returns {string}
 */
export function tokenValidate(text) {
  const token = tokenNormalise(text);
  if (token.length !== TOKEN_LENGTH) {
    throw new TokenError("length", interpolate(_("A token has 9 characters, not counting spaces and dashes; this one has %(count)s."), { count: token.length }));
  }
  const wrong = [...token].findIndex((char) => !TOKEN_ALPHABET.includes(char));
  if (wrong >= 0) {
    const message = NEVER_USED.has(token[wrong])
      ? _("Character %(char)s at position %(position)s is never used in tokens (there is no 0, 1, I or O).")
      : _("Character %(char)s at position %(position)s is not used in tokens.");
    throw new TokenError("character", interpolate(message, { char: token[wrong], position: wrong + 1 }));
  }
  if (checksum(token) !== 0) {
    throw new TokenError("check", _("The check character does not match: the token was probably mistyped."));
  }
  return token;
}

/** Display form XXXX-XXXX-C of a valid token. */
export function tokenFormat(token) {
  const canonical = tokenValidate(token);
  return `${canonical.slice(0, 4)}-${canonical.slice(4, 8)}-${canonical[8]}`;
}
