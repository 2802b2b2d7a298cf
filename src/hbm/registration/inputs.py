"""From checked API input (schemas) to the services' data: shared by the API and the field sync."""

from __future__ import annotations

from hbm.registration.schemas import CountIn, DocumentIn, GroupIn, PersonIn
from hbm.registration.services import CountData, DocumentData, EncounterData, IndividualData


def encounter_data_of(payload: CountIn | GroupIn | PersonIn) -> EncounterData:
    e = payload.encounter
    return EncounterData(direction=e.direction, transport=e.transport, occurred_at=e.occurred_at)


def count_cells_of(payload: CountIn) -> list[CountData]:
    return [CountData(sex=c.sex, age_band=c.age_band, count=c.count) for c in payload.cells]


def document_data_of(d: DocumentIn) -> DocumentData:
    return DocumentData(
        kind=d.kind,
        mrz=d.mrz,
        document_number=d.document_number,
        issuing_state=d.issuing_state,
        date_of_expiry=d.date_of_expiry,
        is_damaged=d.is_damaged,
    )


def individual_data_of(payload: PersonIn) -> IndividualData:
    return IndividualData(
        given_names_latin=payload.given_names_latin,
        surname_latin=payload.surname_latin,
        given_names_original=payload.given_names_original,
        surname_original=payload.surname_original,
        sex=payload.sex,
        nationality=payload.nationality,
        date_of_birth=payload.date_of_birth,
        birth_year=payload.birth_year,
        estimated_age=payload.estimated_age,
        place_of_birth=payload.place_of_birth,
        father_name=payload.father_name,
        mother_name=payload.mother_name,
        languages=tuple(payload.languages),
        specific_needs=tuple(payload.specific_needs),
        group_token=payload.group_token,
        relationship=payload.relationship,
        documents=tuple(document_data_of(d) for d in payload.documents),
        no_document_reason=payload.no_document_reason,
        encounter=encounter_data_of(payload),
    )
