/**
 * The words for the API's field names, in the active language: used by the forms, by the list
 * of rejected records and by error summaries. The names themselves are the server's.
 */
import { gettext as _ } from "./i18n.js";

function labels() {
  return {
    surname_latin: _("Surname (Latin letters)"),
    given_names_latin: _("Given names (Latin letters)"),
    surname_original: _("Surname (as the person writes it)"),
    given_names_original: _("Given names (as the person writes them)"),
    sex: _("Sex"),
    date_of_birth: _("Date of birth"),
    birth_year: _("Year of birth"),
    estimated_age: _("Estimated age (years)"),
    nationality: _("Claimed nationality"),
    place_of_birth: _("Place of birth"),
    father_name: _("Father's name"),
    mother_name: _("Mother's name"),
    languages: _("Languages (ISO codes, separated by commas)"),
    group_token: _("Group token"),
    relationship: _("Relationship to the head of the group"),
    specific_needs: _("Specific needs"),
    documents: _("Document"),
    "documents.0.kind": _("Kind of document"),
    "documents.0.document_number": _("Document number"),
    "documents.0.issuing_state": _("Issuing state (code)"),
    "documents.0.date_of_expiry": _("Date of expiry"),
    "documents.0.is_damaged": _("The document is damaged"),
    no_document_reason: _("No document: why"),
    photo: _("Photo"),
    token: _("Group token"),
    size: _("People in the group"),
    head_name: _("Name of the head of the group"),
    cells: _("Counts"),
    encounter: _("Time and way of crossing"),
    "encounter.occurred_at": _("Time"),
    crossing_point: _("Crossing point"),
    person: _("Person"),
    base_version: _("Version"),
    changes: _("Changes"),
    payload: _("Record"),
  };
}

/** The label of an API field path ("documents.0.kind", "languages.2", "changes.sex"). */
export function labelOf(path) {
  const table = labels();
  const parts = path.split(".");
  for (let length = parts.length; length > 0; length -= 1) {
    const name = parts.slice(0, length).join(".");
    if (name in table) {
      return table[name];
    }
  }
  return parts.at(-1) in table ? table[parts.at(-1)] : path;
}

/** The label of a kind of record. */
export function kindName(kind) {
  const names = {
    count: _("Count"),
    group: _("Group"),
    person: _("Person"),
    person_edit: _("Change to a person"),
    photo: _("Photo"),
  };
  return names[kind] || kind;
}
