"""Where each piece of drug information comes from: shown, with its date, wherever it appears."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Source:
    name: str
    url: str
    # The date of the information itself (label version, release, translation).
    date: date | None
    date_label: str
    licence: str


SOURCES = {
    "dictionary": Source(
        "Drug name dictionary (DrugBank open vocabulary, MeSH, MedlinePlus)",
        "https://pypi.org/project/drug-named-entity-recognition/",
        None,
        "package version 2.0.9",
        "MIT; DrugBank vocabulary CC0; NLM public data",
    ),
    "pharmacotherapydb": Source(
        "PharmacotherapyDB (physician-curated indications, Himmelstein et al.)",
        "https://doi.org/10.6084/m9.figshare.3103054",
        date(2016, 3, 15),
        "March 2016",
        "CC0 1.0",
    ),
    "labeledin": Source(
        "LabeledIn: indications from FDA drug labels (NLM, Khare et al.)",
        "https://github.com/dhimmel/indications",
        date(2012, 8, 28),
        "label version 2012",
        "U.S. Government work, public domain",
    ),
    "nlm_ddi_corpus": Source(
        "FDA drug labels, NLM drug interaction corpus (DailyMed)",
        "https://github.com/dbmi-pitt/public-PDDI-analysis",
        date(2014, 5, 1),
        "May 2014",
        "U.S. Government work, public domain",
    ),
    "nci": Source(
        "National Cancer Institute (cancer.gov)",
        "https://www.cancer.gov/about-cancer/treatment/drugs",
        date(2025, 12, 30),
        "retrieved December 2025",
        "U.S. Government work, public domain",
    ),
    "ansm": Source(
        "ANSM drug interaction thesaurus (France), English translation by WorldVistA",
        "https://github.com/dbmi-pitt/public-PDDI-analysis",
        date(2016, 9, 1),
        "September 2016",
        "ANSM public information, reuse with attribution",
    ),
    "onc": Source(
        "ONC high-priority drug interactions (Phansalkar et al., JAMIA 2012)",
        "https://doi.org/10.1136/amiajnl-2011-000612",
        date(2012, 1, 1),
        "2012",
        "published consensus list",
    ),
}
INFORMATIONAL_ONLY = "Informational only: ask your pharmacist or doctor."


def label_url(setid: str) -> str:
    """The DailyMed page of a label (the current version, which may differ from ours)."""
    return f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={setid}"
