"""Names and languages of the demo's arrivals, in their own script and in Latin letters.

Latin forms follow the usual official romanisation of each country (Ukraine's 2010 national
transliteration, the spellings Syrian, Afghan and Eritrean passports use) and contain only ``A``-``Z``
letters, spaces and hyphens, so they also fit a machine-readable zone unchanged. Every name here is a
common given name or family name; no combination refers to a real person.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Name:
    original: str
    latin: str


@dataclass(frozen=True, slots=True)
class FamilyName:
    """A family name with its female form (equal to the male form where the language has none)."""

    male: Name
    female: Name

    def for_sex(self, sex: str) -> Name:
        return self.female if sex == "F" else self.male


@dataclass(frozen=True, slots=True)
class NamePool:
    """Names of one nationality.

    ``spouse_keeps_family_name``: in Syria a wife keeps her own family name; in Ukraine and (in the
    demo) Afghanistan she shares her husband's. ``second_name_is_fathers``: no family name, the
    second name is the father's given name (Eritrea); ``family`` then holds such names.
    """

    female: tuple[Name, ...]
    male: tuple[Name, ...]
    family: tuple[FamilyName, ...]
    languages: tuple[tuple[tuple[str, ...], float], ...]
    spouse_keeps_family_name: bool = False
    # No family name: a person's second name is the father's given name (Eritrea).
    second_name_is_fathers: bool = False
    # Names in fashion for children now, and names of their grandparents' generation.
    young: tuple[tuple[Name, ...], tuple[Name, ...]] = ((), ())
    old: tuple[tuple[Name, ...], tuple[Name, ...]] = ((), ())

    def given(self, rng: random.Random, sex: str, age: int = 30) -> Name:
        """A given name for ``sex``, from the names of the person's generation more often than not."""
        index = 0 if sex == "F" else 1
        generation = self.young[index] if age < 18 else (self.old[index] if age >= 60 else ())
        if generation and rng.random() < 0.6:
            return rng.choice(generation)
        return rng.choice(self.female if sex == "F" else self.male)

    def family_name(self, rng: random.Random) -> FamilyName:
        return rng.choice(self.family)

    def languages_draw(self, rng: random.Random) -> tuple[str, ...]:
        options = [option for option, _ in self.languages]
        return rng.choices(options, weights=[weight for _, weight in self.languages])[0]


def _pairs(*pairs: tuple[str, str]) -> tuple[Name, ...]:
    return tuple(Name(original, latin) for original, latin in pairs)


def _same(*pairs: tuple[str, str]) -> tuple[FamilyName, ...]:
    return tuple(FamilyName(Name(o, latin), Name(o, latin)) for o, latin in pairs)


def _latin(*names: str) -> tuple[Name, ...]:
    return tuple(Name(n, n) for n in names)


def _latin_family(*names: str) -> tuple[FamilyName, ...]:
    return tuple(FamilyName(Name(n, n), Name(n, n)) for n in names)


UKRAINIAN = NamePool(
    female=_pairs(
        ("Олена", "Olena"),
        ("Оксана", "Oksana"),
        ("Ірина", "Iryna"),
        ("Наталія", "Nataliia"),
        ("Юлія", "Yuliia"),
        ("Тетяна", "Tetiana"),
        ("Світлана", "Svitlana"),
        ("Марія", "Mariia"),
        ("Анна", "Anna"),
        ("Катерина", "Kateryna"),
        ("Ольга", "Olha"),
        ("Людмила", "Liudmyla"),
        ("Галина", "Halyna"),
        ("Анастасія", "Anastasiia"),
        ("Дарина", "Daryna"),
        ("Вікторія", "Viktoriia"),
    ),
    male=_pairs(
        ("Олександр", "Oleksandr"),
        ("Андрій", "Andrii"),
        ("Микола", "Mykola"),
        ("Іван", "Ivan"),
        ("Сергій", "Serhii"),
        ("Дмитро", "Dmytro"),
        ("Максим", "Maksym"),
        ("Артем", "Artem"),
        ("Богдан", "Bohdan"),
        ("Володимир", "Volodymyr"),
        ("Василь", "Vasyl"),
        ("Юрій", "Yurii"),
        ("Назар", "Nazar"),
    ),
    young=(
        _pairs(
            ("Софія", "Sofiia"),
            ("Злата", "Zlata"),
            ("Поліна", "Polina"),
            ("Мілана", "Milana"),
            ("Єва", "Yeva"),
        ),
        _pairs(
            ("Матвій", "Matvii"),
            ("Марко", "Marko"),
            ("Тимофій", "Tymofii"),
            ("Давид", "Davyd"),
            ("Лев", "Lev"),
        ),
    ),
    old=(
        _pairs(("Валентина", "Valentyna"), ("Ніна", "Nina"), ("Лідія", "Lidiia"), ("Зінаїда", "Zinaida")),
        _pairs(("Петро", "Petro"), ("Григорій", "Hryhorii"), ("Анатолій", "Anatolii"), ("Степан", "Stepan")),
    ),
    family=(
        *_same(
            ("Коваленко", "Kovalenko"),
            ("Шевченко", "Shevchenko"),
            ("Бондаренко", "Bondarenko"),
            ("Ткаченко", "Tkachenko"),
            ("Кравченко", "Kravchenko"),
            ("Олійник", "Oliinyk"),
            ("Шевчук", "Shevchuk"),
            ("Поліщук", "Polishchuk"),
            ("Бойко", "Boiko"),
            ("Ткачук", "Tkachuk"),
            ("Мельник", "Melnyk"),
            ("Мороз", "Moroz"),
            ("Лисенко", "Lysenko"),
            ("Руденко", "Rudenko"),
            ("Савченко", "Savchenko"),
            ("Марченко", "Marchenko"),
            ("Гончаренко", "Honcharenko"),
            ("Петренко", "Petrenko"),
            ("Павленко", "Pavlenko"),
            ("Клименко", "Klymenko"),
            ("Кушнір", "Kushnir"),
            ("Гуменюк", "Humeniuk"),
        ),
        FamilyName(Name("Ковальський", "Kovalskyi"), Name("Ковальська", "Kovalska")),
        FamilyName(Name("Савицький", "Savytskyi"), Name("Савицька", "Savytska")),
        FamilyName(Name("Вербицький", "Verbytskyi"), Name("Вербицька", "Verbytska")),
    ),
    languages=((("ukr",), 0.55), (("ukr", "rus"), 0.35), (("rus",), 0.10)),
)

SYRIAN = NamePool(
    female=_pairs(
        ("فاطمة", "Fatima"),
        ("مريم", "Maryam"),
        ("ليلى", "Layla"),
        ("نور", "Nour"),
        ("رنا", "Rana"),
        ("هبة", "Hiba"),
        ("سارة", "Sara"),
        ("آية", "Aya"),
    ),
    male=_pairs(
        ("محمد", "Mohammad"),
        ("أحمد", "Ahmad"),
        ("خالد", "Khaled"),
        ("عمر", "Omar"),
        ("يوسف", "Yousef"),
        ("حسن", "Hasan"),
        ("مصطفى", "Mustafa"),
        ("سامر", "Samer"),
    ),
    family=_same(
        ("الأحمد", "Al-Ahmad"),
        ("الحسن", "Al-Hasan"),
        ("خليل", "Khalil"),
        ("حداد", "Haddad"),
        ("العلي", "Al-Ali"),
        ("الشامي", "Al-Shami"),
        ("السيد", "Al-Sayed"),
        ("درويش", "Darwish"),
    ),
    languages=((("ara",), 0.7), (("ara", "eng"), 0.2), (("ara", "rus"), 0.1)),
    spouse_keeps_family_name=True,
)

AFGHAN = NamePool(
    female=_pairs(
        ("زهرا", "Zahra"),
        ("مریم", "Maryam"),
        ("فاطمه", "Fatima"),
        ("پریسا", "Parisa"),
        ("سعدیه", "Sadia"),
        ("نرگس", "Nargis"),
        ("ملالی", "Malalai"),
        ("شکریه", "Shukria"),
    ),
    male=_pairs(
        ("احمد", "Ahmad"),
        ("محمد", "Mohammad"),
        ("فرید", "Farid"),
        ("کریم", "Karim"),
        ("حمید", "Hamid"),
        ("جاوید", "Javid"),
        ("نوید", "Navid"),
        ("شفیق", "Shafiq"),
    ),
    family=_same(
        ("احمدی", "Ahmadi"),
        ("هاشمی", "Hashimi"),
        ("رحیمی", "Rahimi"),
        ("سلطانی", "Sultani"),
        ("کریمی", "Karimi"),
        ("نوری", "Noori"),
        ("صدیقی", "Siddiqi"),
        ("حیدری", "Haidari"),
    ),
    languages=((("prs",), 0.6), (("pus",), 0.25), (("prs", "eng"), 0.15)),
)

# Eritreans have no family name: the second name is the father's given name (a child of MERHAWI
# GEBREMEDHIN is SABA MERHAWI), so a wife keeps hers, her own father's.
ERITREAN = NamePool(
    female=_pairs(
        ("ሰናይት", "Senait"),
        ("ሄለን", "Helen"),
        ("ሰላም", "Selam"),
        ("ሉዋም", "Luwam"),
        ("ሰምሃር", "Semhar"),
        ("ሳባ", "Saba"),
    ),
    male=_pairs(
        ("ዮናስ", "Yonas"),
        ("ፊልሞን", "Filmon"),
        ("ዳንኤል", "Daniel"),
        ("ሳሙኤል", "Samuel"),
        ("መርሃዊ", "Merhawi"),
        ("ሮቤል", "Robel"),
    ),
    family=_same(
        ("ተስፋይ", "Tesfay"),
        ("ሃይለ", "Haile"),
        ("ገብረመድህን", "Gebremedhin"),
        ("ብርሃነ", "Berhane"),
        ("ኪዳነ", "Kidane"),
        ("ተኽለ", "Tekle"),
        ("ኣብርሃም", "Abraham"),
    ),
    languages=((("tir",), 0.7), (("tir", "ara"), 0.15), (("tir", "eng"), 0.15)),
    spouse_keeps_family_name=True,
    second_name_is_fathers=True,
)

INDIAN = NamePool(
    female=_latin("Priya", "Ananya", "Sneha", "Kavya", "Divya", "Pooja", "Aishwarya"),
    male=_latin("Rahul", "Arjun", "Vikram", "Rohan", "Karthik", "Aditya", "Siddharth", "Harpreet"),
    family=_latin_family("Sharma", "Patel", "Singh", "Reddy", "Nair", "Iyer", "Gupta", "Menon", "Kumar"),
    languages=((("hin", "eng"), 0.55), (("mal", "eng"), 0.2), (("tel", "eng"), 0.15), (("pan", "eng"), 0.1)),
)

NIGERIAN = NamePool(
    female=_latin("Ngozi", "Aisha", "Funmilayo", "Chiamaka", "Blessing", "Temitope", "Amina"),
    male=_latin("Chinedu", "Emeka", "Tunde", "Ibrahim", "Oluwaseun", "Chukwudi", "Musa"),
    family=_latin_family("Okafor", "Adeyemi", "Eze", "Bello", "Balogun", "Ogunleye", "Nwosu", "Abubakar"),
    languages=((("eng", "yor"), 0.4), (("eng", "ibo"), 0.35), (("eng", "hau"), 0.25)),
)

# Stateless people from the former Soviet Union (ICAO code XXA): Russian-speaking, some Romani.
STATELESS = NamePool(
    female=_latin("Svetlana", "Lyudmila", "Zarina", "Rozaliya", "Galina", "Angelina"),
    male=_latin("Ruslan", "Timur", "Nikolai", "Rustam", "Sergei", "Boris"),
    family=(
        FamilyName(Name("Aliev", "Aliev"), Name("Alieva", "Alieva")),
        FamilyName(Name("Mamedov", "Mamedov"), Name("Mamedova", "Mamedova")),
        FamilyName(Name("Ivanov", "Ivanov"), Name("Ivanova", "Ivanova")),
        FamilyName(Name("Sergeev", "Sergeev"), Name("Sergeeva", "Sergeeva")),
        FamilyName(Name("Kalderash", "Kalderash"), Name("Kalderash", "Kalderash")),
    ),
    languages=((("rus",), 0.6), (("rus", "rom"), 0.4)),
)

NAME_POOLS: dict[str, NamePool] = {
    "UKR": UKRAINIAN,
    "SYR": SYRIAN,
    "AFG": AFGHAN,
    "ERI": ERITREAN,
    "IND": INDIAN,
    "NGA": NIGERIAN,
    "XXA": STATELESS,
}

# Where Ukrainians crossing at Palanca come from: the Odesa region and the south and east.
UKRAINIAN_PLACES_OF_BIRTH: tuple[str, ...] = (
    "Odesa",
    "Izmail",
    "Bilhorod-Dnistrovskyi",
    "Mykolaiv",
    "Kherson",
    "Kharkiv",
    "Zaporizhzhia",
    "Kryvyi Rih",
    "Dnipro",
    "Chornomorsk",
)
