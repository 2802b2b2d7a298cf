"""Names and places of birth per nationality: in their own script where they have one.

Every name is a common given name or family name of its country; no combination refers to a real
person. Arabic- and Ge'ez-script names carry the spelling most often seen on that country's
passports; Cyrillic names are transliterated by rule (:mod:`hbm.engines.synthetic._spelling`), so
each has every common spelling. Weights: names earlier in a list are drawn more often (Zipf,
exponent :data:`ZIPF`), as in real name frequency tables.

Ukrainian family names follow published counts: the ten commonest with their bearers
(:data:`UKR_TOP_FAMILY`, Melnyk ~0.4 % of Ukrainians), then ~130 other common ones and ~2,200
formed from stems and suffixes (-енко, -ук/-юк, -ишин, -ів, -ович, -овський/-овська, …) the way
most Ukrainian family names are formed, their shares falling as a power of rank from the tenth's
(:func:`tail_exponent`). Two random Ukrainians share a family name about 1 time in 1,600 here —
Ukraine has hundreds of thousands of family names, so this is still denser than the country, but
not the 1 in 80 of a pool of 130 drawn by Zipf (KOVALENKO for 1 Ukrainian in 8). The other
nationalities' family names are still small Zipf pools — denser than life for Syrians, Indians
and Nigerians; about right where names are patronymic (Eritrea) or few (Afghans) — until counts
with a source are found for them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final

import numpy as np

ZIPF: Final = 0.9


@dataclass(frozen=True, slots=True)
class Name:
    """A name as written in its own script (``original``, equal to ``latin`` for Latin-script
    names) and its usual Latin spelling (``latin``; empty for Cyrillic, which is spelt by rule)."""

    original: str
    latin: str


@dataclass(frozen=True, slots=True)
class Pool:
    """The names of one nationality.

    ``naming``: ``"family"`` (given + family name), ``"father"`` (no family name: the second name
    is the father's given name — Eritrea). ``spouse_keeps_family_name``: Syrian wives keep their
    own. ``script``: ``latin``, ``arabic``, ``cyrillic`` or ``ethiopic``; ``language`` the ISO 639-3
    code of the names. ``middle_name_share``: how often a registration adds the father's given
    name to the given name (Syrian and Afghan practice). ``family_weights``: how often each family
    name is drawn, where published counts say (Ukraine); empty: Zipf by rank (:data:`ZIPF`).
    """

    nationality: str
    script: str
    language: str | None
    male: tuple[Name, ...]
    female: tuple[Name, ...]
    family_male: tuple[Name, ...]
    family_female: tuple[Name, ...]
    places: tuple[tuple[str, ...], ...]
    naming: str = "family"
    spouse_keeps_family_name: bool = False
    middle_name_share: float = 0.0
    family_weights: tuple[float, ...] = ()


def _arabic(text: str) -> tuple[Name, ...]:
    """Lines ``original;Latin``."""
    out = []
    for line in text.strip().splitlines():
        original, latin = line.split(";")
        out.append(Name(original.strip(), latin.strip()))
    return tuple(out)


def _cyrillic(text: str) -> tuple[Name, ...]:
    return tuple(Name(word, "") for word in text.split())


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _latin(text: str) -> tuple[Name, ...]:
    return tuple(Name(word.replace("_", " "), word.replace("_", " ")) for word in text.split())


def _places(text: str) -> tuple[tuple[str, ...], ...]:
    """Lines of ``/``-separated spellings, the usual one first."""
    return tuple(tuple(s.strip() for s in line.split("/")) for line in text.strip().splitlines())


def _ukrainian_family() -> tuple[tuple[Name, ...], tuple[Name, ...]]:
    same = [
        "Коваленко",
        "Шевченко",
        "Бондаренко",
        "Ткаченко",
        "Кравченко",
        "Лисенко",
        "Руденко",
        "Савченко",
        "Марченко",
        "Гончаренко",
        "Петренко",
        "Павленко",
        "Клименко",
        "Кузьменко",
        "Литвиненко",
        "Мироненко",
        "Іваненко",
        "Левченко",
        "Остапенко",
        "Тимошенко",
        "Кириленко",
        "Зінченко",
        "Онищенко",
        "Пономаренко",
        "Федоренко",
        "Демченко",
        "Харченко",
        "Степаненко",
        "Яковенко",
        "Гриценко",
        "Сидоренко",
        "Мартиненко",
        "Вакуленко",
        "Назаренко",
        "Юрченко",
        "Дяченко",
        "Костенко",
        "Головко",
        "Приходько",
        "Шевчук",
        "Поліщук",
        "Ткачук",
        "Ковальчук",
        "Мельничук",
        "Кравчук",
        "Савчук",
        "Гуменюк",
        "Боднарчук",
        "Остапчук",
        "Романюк",
        "Семенюк",
        "Пилипчук",
        "Федорчук",
        "Марчук",
        "Антонюк",
        "Климчук",
        "Мельник",
        "Бойко",
        "Мороз",
        "Олійник",
        "Кушнір",
        "Коваль",
        "Стельмах",
        "Бондар",
        "Ткач",
        "Кравець",
        "Сорока",
        "Бабич",
        "Козак",
        "Мазур",
        "Кучер",
        "Дорош",
        "Рибак",
        "Павлюк",
        "Гаврилюк",
        "Лук'янчук",
        "Пащенко",
        "Соловйов",
        "Гордієнко",
        "Сергієнко",
        "Андрієнко",
        "Матвієнко",
        "Яременко",
        "Білоус",
        "Чорновол",
        "Гнатюк",
    ]
    gendered = [
        "Ковальський",
        "Савицький",
        "Вербицький",
        "Левицький",
        "Яворський",
        "Малиновський",
        "Ковалевський",
        "Дубровський",
        "Висоцький",
        "Домбровський",
        "Заболотський",
        "Жуковський",
        "Лозинський",
        "Тарновський",
        "Зелінський",
        "Іванов",
        "Петров",
        "Кузнєцов",
        "Смирнов",
        "Соколов",
        "Бєлов",
        "Новіков",
    ]
    male = [Name(n, "") for n in same] + [Name(n, "") for n in gendered]
    female = [Name(n, "") for n in same] + [
        Name(n[:-2] + "а" if n.endswith("ий") else n + "а", "") for n in gendered
    ]
    return tuple(male), tuple(female)


def _russian_family() -> tuple[tuple[Name, ...], tuple[Name, ...]]:
    stems = [
        "Алиев",
        "Мамедов",
        "Иванов",
        "Сергеев",
        "Гусейнов",
        "Петров",
        "Смирнов",
        "Кузнецов",
        "Попов",
        "Васильев",
        "Соколов",
        "Михайлов",
        "Новиков",
        "Фёдоров",
        "Морозов",
        "Волков",
        "Алексеев",
        "Лебедев",
        "Семёнов",
        "Егоров",
        "Павлов",
        "Козлов",
        "Степанов",
        "Николаев",
        "Орлов",
        "Андреев",
        "Макаров",
        "Никитин",
        "Захаров",
        "Зайцев",
        "Соловьёв",
        "Борисов",
        "Яковлев",
        "Григорьев",
        "Романов",
        "Воробьёв",
        "Кузьмин",
        "Исмаилов",
        "Рахимов",
        "Каримов",
        "Юсупов",
        "Ахмедов",
        "Керимов",
        "Абдуллаев",
    ]
    return (*tuple(Name(s, "") for s in stems), Name("Калдераш", "")), (
        *tuple(Name(s + "а", "") for s in stems),
        Name("Калдераш", ""),
    )


# Ukraine's ten most common family names and how many people bear each: a count of Ukrainian
# registers by Czech linguists, reported by Segodnya (2019-11) and Obozrevatel (2023-09-25), of
# 42.08 million people. (The genealogical society "Ridni" counted fewer in 2013 — Melnyk 107,878,
# Shevchenko 106,340, Kovalenko 88,632 — in the same order of magnitude: ~0.25 % each.)
UKR_TOP_FAMILY: Final = (
    ("Мельник", 174_057),
    ("Шевченко", 142_200),
    ("Бойко", 126_548),
    ("Коваленко", 126_139),
    ("Бондаренко", 118_547),
    ("Ткаченко", 112_157),
    ("Ковальчук", 110_259),
    ("Кравченко", 106_528),
    ("Олійник", 99_963),
    ("Шевчук", 97_636),
)
UKR_PEOPLE: Final = 42_080_000

# Stems of Ukrainian family names: fathers' given names (patronymic names are the largest class),
# trades, animals and plants, nicknames. Each takes the suffixes of :data:`_UKR_SUFFIXES`, the way
# most Ukrainian family names are formed; not every combination is attested, every one is formed
# as real ones are.
_UKR_STEMS: Final = _words("""
Петр Іван Гнат Марк Данил Кирил Павл Роман Семен Тарас Федор Юр Яков Андр Гриц Денис Клим Кузьм Лев
Микит Михайл Назар Панас Прокоп Сав Степан Тимош Трохим Хом Давид Дмитр Демид Захар Ігнат Карп Левк
Максим Мирон Онис Остап Пилип Потап Сид Тимоф Устим Филип Ярем Антон Борис Василь Гаврил Григор
Дорош Євтух Зінов Ілл Йосип Калин Леон Лук Макар Мартин Мусій Нестер Омел Опанас Охрім Пантел Сергі
Сильвестр Тимк Юхим Явтух Ярош Богдан Вакул Герасим Грин Дан Кость Лесь Олекс Коваль Мельнич Гончар
Бондар Кравц Ткач Шевц Кушнір Стельмах Теслен Гребін Пасічн Рибал Швець Чумак Козак Бортн Мірошн
Пастух Сотн Писар Дяк Коновал Кожум Ковбас Кухар Пекар Ливар Маляр Вовк Лис Ведмід Заєць Сокол Ворон
Голуб Горобц Журавл Лебід Орл Сова Кріт Бобр Бугай Баран Кіт Півн Дуб Береза Вишн Калин Явір Клен
Граб Верб Сосн Ліщин Терн Мороз Вітр Сніж Грім Дощ Зорян Білоус Чорнобр Рудь Сивк Лисогор Кривонос
Довгал Малюк Велич Гордій Тихон Веселк Смілян Швидк Гуменн Подоляк Волош Литвин Москал Поляк Угрин
Русин Бойч Гуцул Лемк Полтав Черніг Київ Галич
""")
_UKR_SUFFIXES: Final = ("енко", "ук", "юк", "ишин", "ів", "ович", "евич", "ик", "ак", "ець", "ко")
_UKR_GENDERED_SUFFIXES: Final = ("овський", "ицький")


def _ukrainian_tail(taken: set[str]) -> tuple[list[Name], list[Name]]:
    """Formed names (male, female) not in ``taken``, in a fixed random order (the order is the
    rank: no suffix or stem is favoured)."""
    formed: list[tuple[str, str]] = []
    for stem in _UKR_STEMS:
        for suffix in _UKR_SUFFIXES:
            if not (suffix == "ко" and stem[-1] in "кц"):
                name = _joined(stem, suffix)
                formed.append((name, name))
        for suffix in _UKR_GENDERED_SUFFIXES:
            name = _joined(stem, suffix)
            formed.append((name, name[:-2] + "а"))
    random.Random(0).shuffle(formed)
    male: list[Name] = []
    female: list[Name] = []
    for male_form, female_form in formed:
        if male_form not in taken:
            taken.add(male_form)
            male.append(Name(male_form, ""))
            female.append(Name(female_form, ""))
    return male, female


def _joined(stem: str, suffix: str) -> str:
    """A soft sign before a vowel goes: Кость + енко = Костенко; before у it softens it (Костюк)."""
    if stem.endswith("ь") and suffix[0] in "аеєиіїоуюя":
        return stem[:-1] + ("ю" + suffix[1:] if suffix[0] == "у" else suffix)
    return stem + suffix


def _ukrainian_pool_family() -> tuple[tuple[Name, ...], tuple[Name, ...], tuple[float, ...]]:
    """The sourced ten first (weighted by their bearers), then the common names of
    :func:`_ukrainian_family`, then the formed ones, with weights falling as a power of rank."""
    common_male, common_female = _ukrainian_family()
    top = {name for name, _ in UKR_TOP_FAMILY}
    male = [Name(name, "") for name, _ in UKR_TOP_FAMILY]
    female = list(male)  # none of the ten changes with sex
    for m, f in zip(common_male, common_female, strict=True):
        if m.original not in top:
            male.append(m)
            female.append(f)
    tail_male, tail_female = _ukrainian_tail({n.original for n in male})
    male += tail_male
    female += tail_female
    top_weights = [count / UKR_PEOPLE for _, count in UKR_TOP_FAMILY]
    exponent = tail_exponent(top_weights[-1], 1 - sum(top_weights), len(UKR_TOP_FAMILY), len(male))
    ranks = np.arange(len(UKR_TOP_FAMILY) + 1, len(male) + 1, dtype=np.float64)
    tail = top_weights[-1] * (ranks / len(UKR_TOP_FAMILY)) ** -exponent
    weights = [*top_weights, *tail.tolist()]
    return tuple(male), tuple(female), tuple(weights)


def tail_exponent(last: float, rest: float, last_rank: int, names: int) -> float:
    """The exponent ``s`` for which shares ``last * (rank / last_rank) ** -s`` of ranks
    ``last_rank + 1 … names`` add up to ``rest``: the tail goes on from the last sourced name's
    share and holds everyone else. (Bisection; the sum falls as ``s`` grows.)"""
    ranks = np.arange(last_rank + 1, names + 1, dtype=np.float64) / last_rank
    if last * len(ranks) < rest:
        raise ValueError("too few names to hold the rest at shares below the last sourced one")
    low, high = 0.0, 10.0
    for _ in range(60):
        middle = (low + high) / 2
        if last * float((ranks**-middle).sum()) > rest:
            low = middle
        else:
            high = middle
    return (low + high) / 2


_UKR_FAMILY = _ukrainian_pool_family()
_RUS_FAMILY = _russian_family()

_SYR_MALE = _arabic("""
محمد;Mohammad
أحمد;Ahmad
محمود;Mahmoud
مصطفى;Mustafa
علي;Ali
عمر;Omar
خالد;Khaled
يوسف;Yousef
حسن;Hasan
حسين;Hussein
إبراهيم;Ibrahim
عبد الرحمن;Abd al-Rahman
عبد الله;Abdullah
عبد الكريم;Abd al-Karim
سامر;Samer
ماهر;Maher
بشار;Bashar
وليد;Walid
فادي;Fadi
رامي;Rami
طارق;Tareq
زياد;Ziad
سعيد;Saeed
جمال;Jamal
كريم;Karim
ياسر;Yasser
نبيل;Nabil
هاني;Hani
عماد;Imad
أنس;Anas
حمزة;Hamza
بلال;Bilal
عثمان;Othman
إسماعيل;Ismail
سليمان;Suleiman
موسى;Mousa
عيسى;Issa
نور الدين;Nour al-Din
صلاح;Salah
فراس;Firas
مازن;Mazen
غسان;Ghassan
قاسم;Qasem
جواد;Jawad
""")
_SYR_FEMALE = _arabic("""
فاطمة;Fatima
مريم;Maryam
ليلى;Layla
نور;Nour
رنا;Rana
هبة;Hiba
سارة;Sara
آية;Aya
زينب;Zainab
خديجة;Khadija
عائشة;Aisha
أمينة;Amina
سلمى;Salma
رهف;Rahaf
شهد;Shahd
لين;Leen
جنى;Jana
دعاء;Duaa
إيمان;Iman
أسماء;Asmaa
هند;Hind
رغد;Raghad
يارا;Yara
لمى;Lama
نادية;Nadia
سميرة;Samira
منى;Mona
هدى;Huda
وفاء;Wafaa
رزان;Razan
""")
_SYR_FAMILY = _arabic("""
الأحمد;Al-Ahmad
الحسن;Al-Hasan
خليل;Khalil
حداد;Haddad
العلي;Al-Ali
الشامي;Al-Shami
السيد;Al-Sayed
درويش;Darwish
المصري;Al-Masri
الحلبي;Al-Halabi
الخطيب;Al-Khatib
النجار;Al-Najjar
الحمصي;Al-Homsi
الزعبي;Al-Zoubi
العمر;Al-Omar
الحسين;Al-Hussein
الإبراهيم;Al-Ibrahim
قاسم;Qasem
سليمان;Suleiman
الشيخ;Al-Sheikh
حمدان;Hamdan
العبد الله;Al-Abdullah
البكري;Al-Bakri
الدباغ;Al-Dabbagh
الجاسم;Al-Jasem
الموسى;Al-Mousa
الصالح;Al-Saleh
الحمود;Al-Hamoud
العيسى;Al-Issa
الكردي;Al-Kurdi
الرفاعي;Al-Rifai
الطويل;Al-Tawil
شحادة;Shehadeh
عثمان;Othman
يوسف;Yousef
الأسعد;Al-Asaad
المحمد;Al-Mohammad
الخالد;Al-Khaled
الحمادي;Al-Hammadi
الحلاق;Al-Hallaq
العكش;Al-Akash
السعدي;Al-Saadi
الزين;Al-Zein
الحاج;Al-Hajj
""")
_AFG_MALE = _arabic("""
محمد;Mohammad
احمد;Ahmad
عبدالله;Abdullah
فرید;Farid
کریم;Karim
حمید;Hamid
جاوید;Javid
نوید;Navid
شفیق;Shafiq
رحیم;Rahim
نجیب;Najib
ولی;Wali
ظاهر;Zaher
ناصر;Naser
بشیر;Bashir
نذیر;Nazir
عزیز;Aziz
سید;Sayed
حبیب;Habib
مسعود;Masoud
محمود;Mahmood
یوسف;Yousuf
عمر;Omar
علی;Ali
حسین;Hussain
جواد;Jawad
مرتضی;Murtaza
سهراب;Sohrab
فرهاد;Farhad
امید;Omid
شکیب;Shakib
وحید;Wahid
ذبیح الله;Zabihullah
نصرالله;Nasrullah
عبدالرحمن;Abdul Rahman
قدرت الله;Qudratullah
""")
_AFG_FEMALE = _arabic("""
فاطمه;Fatima
زهرا;Zahra
مریم;Maryam
پریسا;Parisa
سعدیه;Sadia
نرگس;Nargis
ملالی;Malalai
شکریه;Shukria
فریبا;Fariba
زرغونه;Zarghona
ثریا;Soraya
لیلا;Laila
گلالی;Gulalai
نازنین;Nazanin
شبنم;Shabnam
مینا;Mina
فرزانه;Farzana
رحیمه;Rahima
حمیده;Hamida
نسرین;Nasrin
رویا;Roya
سحر;Sahar
مژگان;Mozhgan
طاهره;Tahira
عایشه;Aisha
""")
_AFG_FAMILY = _arabic("""
احمدی;Ahmadi
محمدی;Mohammadi
حسینی;Hosseini
هاشمی;Hashimi
رحیمی;Rahimi
سلطانی;Sultani
کریمی;Karimi
نوری;Noori
صدیقی;Siddiqi
حیدری;Haidari
جعفری;Jafari
عزیزی;Azizi
رحمانی;Rahmani
یوسفی;Yousufi
نظری;Nazari
قادری;Qaderi
امیری;Amiri
صافی;Safi
پوپلزی;Popalzai
درانی;Durrani
وردک;Wardak
نورزی;Noorzai
اکبری;Akbari
رسولی;Rasuli
شریفی;Sharifi
ستانکزی;Stanikzai
حکیمی;Hakimi
فاروقی;Farooqi
مجددی;Mojaddedi
یعقوبی;Yaqubi
""")
_ERI_MALE = _arabic("""
ዮናስ;Yonas
ፊልሞን;Filmon
ዳንኤል;Daniel
ሳሙኤል;Samuel
መርሃዊ;Merhawi
ሮቤል;Robel
ተስፋይ;Tesfay
ሃይለ;Haile
ገብረመድህን;Gebremedhin
ብርሃነ;Berhane
ኪዳነ;Kidane
ተኽለ;Tekle
ኣብርሃም;Abraham
ዮሃንስ;Yohannes
ሚካኤል;Michael
ገብረሂወት;Gebrehiwet
ኣማኑኤል;Amanuel
ሄኖክ;Henok
ናትናኤል;Natnael
ሰለሙን;Solomon
ኤርምያስ;Ermias
ፍስሃ;Fisseha
ኢሳያስ;Isaias
ሃብቶም;Habtom
ክብሮም;Kibrom
ጎይትኦም;Goitom
ተወልደ;Tewolde
ወልዱ;Weldu
መብራህቱ;Mebrahtu
ዘርኣይ;Zerai
ኣስመሮም;Asmerom
ዓወት;Awet
ሲራክ;Sirak
በረከት;Bereket
""")
_ERI_FEMALE = _arabic("""
ሰናይት;Senait
ሄለን;Helen
ሰላም;Selam
ሉዋም;Luwam
ሰምሃር;Semhar
ሳባ;Saba
ኤልሳ;Elsa
ፍረወይኒ;Freweini
ሚርያም;Miriam
ሳራ;Sara
ዮርዳኖስ;Yordanos
ሩታ;Ruta
ሊድያ;Lidia
ኣዳነች;Adanech
ጽገ;Tsige
ኣልማዝ;Almaz
ብርኽቲ;Birikti
ሕሪት;Hirit
ፌቨን;Feven
ሶሊያና;Soliana
ኤደን;Eden
ቤተልሄም;Betelhem
ትርሓስ;Tirhas
ኣበባ;Abeba
ምሕረት;Mihret
""")

POOLS: Final[dict[str, Pool]] = {
    "UKR": Pool(
        nationality="UKR",
        script="cyrillic",
        language="ukr",
        male=_cyrillic(
            "Олександр Андрій Микола Іван Сергій Дмитро Максим Артем Богдан Володимир Василь Юрій Назар "
            "Михайло Петро Олег Віктор Віталій Ярослав Роман Тарас Євген Ігор Анатолій Григорій Степан "
            "Павло Костянтин Вадим Денис Матвій Марко Тимофій Давид Лев Олексій Валентин Руслан Станіслав "
            "Кирило Юліан Остап Федір Леонід Святослав"
        ),
        female=_cyrillic(
            "Олена Оксана Ірина Наталія Юлія Тетяна Світлана Марія Анна Катерина Ольга Людмила Галина "
            "Анастасія Дарина Вікторія Софія Злата Поліна Мілана Єва Валентина Ніна Лідія Зінаїда Христина "
            "Алла Лариса Надія Віра Любов Яна Вероніка Аліна Діана Ксенія Соломія Уляна Ганна Євгенія"
        ),
        family_male=_UKR_FAMILY[0],
        family_female=_UKR_FAMILY[1],
        family_weights=_UKR_FAMILY[2],
        places=_places("""
            Odesa/Odessa/Odesa
            Kharkiv/Kharkov/Harkiv
            Mykolaiv/Nikolaev/Mykolayiv/Nikolayev
            Kherson/Cherson/Kherson
            Zaporizhzhia/Zaporozhye/Zaporizhia/Zaporizhzhya
            Dnipro/Dnepropetrovsk/Dnipropetrovsk
            Kyiv/Kiev/Kyyiv
            Izmail/Izmayil/Ismail
            Kryvyi Rih/Krivoy Rog/Kryvyy Rih
            Mariupol/Mariupol/Mariupil
            Donetsk/Donetsk/Donezk
            Luhansk/Lugansk/Luhansk
            Lviv/Lvov/Lwiw
            Vinnytsia/Vinnitsa/Vinnytsya
            Poltava/Poltava/Poltawa
            Chernihiv/Chernigov/Chernihiv
            Bilhorod-Dnistrovskyi/Belgorod-Dnestrovsky/Bilhorod-Dnistrovskyy
            Kramatorsk/Kramatorsk/Kramatorsk
            Sumy/Sumy/Sumi
            Chornomorsk/Chernomorsk/Illichivsk
        """),
    ),
    "XXA": Pool(
        nationality="XXA",
        script="cyrillic",
        language="rus",
        male=_cyrillic(
            "Руслан Тимур Николай Рустам Сергей Борис Алексей Дмитрий Андрей Михаил Владимир Игорь Артур "
            "Эльдар Роман Виктор Евгений Павел Максим Денис Рамиль Ислам Вадим Георгий"
        ),
        female=_cyrillic(
            "Светлана Людмила Зарина Розалия Галина Ангелина Елена Ольга Татьяна Наталья Ирина Марина Анна "
            "Екатерина Юлия Лейла Мадина Гульнара Динара Кристина Эльвира Алина"
        ),
        family_male=_RUS_FAMILY[0],
        family_female=_RUS_FAMILY[1],
        places=_places("""
            Tashkent/Toshkent/Taschkent
            Baku/Baki/Baku
            Chisinau/Kishinev/Kishineu
            Odesa/Odessa/Odesa
            Donetsk/Donezk/Donetsk
            Makhachkala/Mahachkala/Makhatchkala
            Grozny/Groznyy/Grozniy
            Tbilisi/Tiflis/Tbilisi
            Almaty/Alma-Ata/Almaty
            Dushanbe/Dushanbeh/Duschanbe
        """),
    ),
    "SYR": Pool(
        nationality="SYR",
        script="arabic",
        language="ara",
        male=_SYR_MALE,
        female=_SYR_FEMALE,
        family_male=_SYR_FAMILY,
        family_female=_SYR_FAMILY,
        places=_places("""
            Aleppo/Halab/Alep
            Damascus/Dimashq/Damas
            Homs/Hims/Homs
            Hama/Hamah/Hamma
            Idlib/Idleb/Edlib
            Latakia/Lattakia/Al-Ladhiqiyah
            Deir ez-Zor/Deir al-Zour/Dayr az-Zawr
            Raqqa/Al-Raqqah/Rakka
            Daraa/Deraa/Dar'a
            Qamishli/Al-Qamishli/Kamishli
        """),
        spouse_keeps_family_name=True,
        middle_name_share=0.5,
    ),
    "AFG": Pool(
        nationality="AFG",
        script="arabic",
        language="prs",
        male=_AFG_MALE,
        female=_AFG_FEMALE,
        family_male=_AFG_FAMILY,
        family_female=_AFG_FAMILY,
        places=_places("""
            Kabul/Kaboul/Kabol
            Herat/Hirat/Herat
            Kandahar/Qandahar/Kandahar
            Mazar-i-Sharif/Mazar-e Sharif/Mazare Sharif
            Jalalabad/Jalal Abad/Dschalalabad
            Kunduz/Qunduz/Konduz
            Ghazni/Ghazny/Ghazni
            Bamyan/Bamiyan/Bamian
            Lashkar Gah/Lashkargah/Laschkar Gah
            Pul-i-Khumri/Pol-e Khomri/Puli Khumri
        """),
        middle_name_share=0.3,
    ),
    "ERI": Pool(
        nationality="ERI",
        script="ethiopic",
        language="tir",
        male=_ERI_MALE,
        female=_ERI_FEMALE,
        family_male=_ERI_MALE,
        family_female=_ERI_MALE,
        places=_places("""
            Asmara/Asmera/Asmara
            Keren/Keren/Kerén
            Massawa/Mitsiwa/Massaua
            Mendefera/Mendefera/Adi Ugri
            Dekemhare/Dekemhare/Decamere
            Barentu/Barentu/Barentu
            Adi Keyh/Adi Keih/Adi Qeyh
            Assab/Aseb/Assab
            Agordat/Akordat/Akurdet
            Tesseney/Teseney/Tessenei
        """),
        naming="father",
        spouse_keeps_family_name=True,
    ),
    "IND": Pool(
        nationality="IND",
        script="latin",
        language=None,
        male=_latin(
            "Rahul Arjun Vikram Rohan Karthik Aditya Siddharth Harpreet Amit Rajesh Suresh Ramesh "
            "Sanjay Vijay "
            "Anil Sunil Deepak Manoj Ravi Gurpreet Mohammed Imran Arun Kiran Pradeep"
        ),
        female=_latin(
            "Priya Ananya Sneha Kavya Divya Pooja Aishwarya Sunita Anita Lakshmi Meena Rekha Neha Anjali "
            "Deepika Shalini Swati Geeta Fatima Ayesha"
        ),
        family_male=_latin(
            "Sharma Patel Singh Reddy Nair Iyer Gupta Menon Kumar Verma Das Rao Joshi Mehta Shah Khan Yadav "
            "Mishra Pandey Chauhan Pillai Naidu Bhat Chopra Malhotra Kapoor Agarwal Thakur Sinha Ahmed"
        ),
        family_female=(),
        places=_places("""
            Delhi/New Delhi/Dilli
            Mumbai/Bombay/Mumbai
            Kolkata/Calcutta/Kolkatta
            Chennai/Madras/Chenai
            Bengaluru/Bangalore/Bengalooru
            Hyderabad/Haidarabad/Hyderabad
            Amritsar/Amritsar/Amritser
            Ludhiana/Ludhiyana/Ludhiana
            Kochi/Cochin/Kochi
            Lucknow/Lakhnau/Lucknow
        """),
    ),
    "NGA": Pool(
        nationality="NGA",
        script="latin",
        language=None,
        male=_latin(
            "Chinedu Emeka Tunde Ibrahim Oluwaseun Chukwudi Musa Babatunde Olumide Adebayo Obinna Uchenna "
            "Ikechukwu Segun Yusuf Abdullahi Aliyu Sani Kelechi Nnamdi Femi Kunle Danjuma"
        ),
        female=_latin(
            "Ngozi Aisha Funmilayo Chiamaka Blessing Temitope Amina Adaeze Nkechi Folake Yetunde Bukola "
            "Zainab "
            "Hauwa Fatima Chinwe Ifeoma Omolara Precious Grace"
        ),
        family_male=_latin(
            "Okafor Adeyemi Eze Bello Balogun Ogunleye Nwosu Abubakar Okonkwo Adewale Ibrahim Mohammed Okeke "
            "Obi Nwachukwu Olawale Adebayo Usman Lawal Suleiman Chukwu Onyekachi Afolabi Ogbonna Danladi "
            "Akinola Oyelaran Nnadi Uche Yusuf"
        ),
        family_female=(),
        places=_places("""
            Lagos/Lagos/Lagos
            Kano/Kano/Kano
            Ibadan/Ibadan/Ibadan
            Abuja/Abuja/Abuja
            Port Harcourt/Port-Harcourt/Portharcourt
            Benin City/Benin/Benin-City
            Kaduna/Kaduna/Kaduna
            Enugu/Enugu/Enugu
            Onitsha/Onitsa/Onitsha
            Maiduguri/Maidugiri/Maiduguri
        """),
    ),
}

# Share of each nationality among arrivals (a mixed caseload at an EU external border).
NATIONALITY_SHARES: Final = {
    "UKR": 0.40,
    "SYR": 0.14,
    "AFG": 0.13,
    "ERI": 0.08,
    "XXA": 0.05,
    "IND": 0.08,
    "NGA": 0.12,
}
