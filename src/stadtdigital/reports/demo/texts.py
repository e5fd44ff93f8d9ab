# ruff: noqa: RUF001  (typographic quotes are part of the texts)
"""Realistic synthetic descriptions for the demo reports: varied wording, typos, dialect, short and long.

The old demo texts came from five templates per category, so any classifier looked perfect on them. Here a
description is put together from a category's problem phrases (several wordings each, some shared between
neighbouring categories, as in real reports), optional details, consequences, greetings and filler, then
roughened: lower case, missing punctuation, letter swaps and dropped letters, Swabian dialect, or a one-line
note such as "lampe kaputt". A small share carries personal data (names, phone numbers, email addresses,
licence plates, IBANs) as citizens really write it, so that detection and masking can be shown; every such
value is invented (phone numbers are +49 7131 555…, emails end in @example.org, IBANs are the documented
test IBAN with changed digits and are not valid bank accounts).

Each text uses its own random generator, so the demo's other random choices (times, states) do not change
when the wording does.
"""

import random

# Per category: what the problem is, in several wordings. Some phrases overlap on purpose with a
# neighbouring category (a hole in the cycle path, a lamp at a traffic light, rubbish next to a bin).
PROBLEMS: dict[str, tuple[str, ...]] = {
    "schlagloch": (
        "Schlagloch in der Straße",
        "riesiges Loch in der Fahrbahn",
        "die Straße ist total kaputt",
        "Asphalt aufgebrochen",
        "mehrere Schlaglöcher hintereinander",
        "Fahrbahn abgesackt",
        "tiefe Risse im Belag",
        "Loch im Asphalt, ca. {size} cm",
        "der Deckel vom Schacht liegt tiefer als die Straße",
        "Pflastersteine auf der Fahrbahn lose",
    ),
    "strassenbeleuchtung": (
        "Straßenlaterne defekt",
        "Laterne brennt nicht",
        "die Lampe ist aus",
        "Straßenlampe flackert die ganze Nacht",
        "Beleuchtung ausgefallen, alles dunkel",
        "Laterne leuchtet auch tagsüber",
        "mehrere Lampen in der Straße dunkel",
        "Lampenmast schief, Leuchte hängt herunter",
        "Licht geht ständig an und aus",
    ),
    "wilder-muell": (
        "illegaler Müll abgeladen",
        "Sperrmüll an der Straße, nicht angemeldet",
        "jemand hat hier Müllsäcke abgestellt",
        "alte Matratze und Sofa am Straßenrand",
        "Bauschutt im Gebüsch",
        "Autoreifen abgelegt",
        "wilde Müllkippe",
        "Kühlschrank einfach abgestellt",
        "Müll neben dem Glascontainer",
        "Tüten mit Hausmüll liegen rum",
    ),
    "papierkorb": (
        "Mülleimer voll",
        "Papierkorb quillt über",
        "Abfalleimer seit Tagen nicht geleert",
        "Mülleimer kaputt",
        "Hundekotbeutel-Spender leer",
        "Papierkorb abgerissen",
        "der Mülleimer ist übervoll, Müll liegt daneben",
    ),
    "gruenflaechen": (
        "Ast abgebrochen",
        "Baum droht umzufallen",
        "Hecke wächst über den Gehweg",
        "Gras nicht gemäht, kniehoch",
        "toter Baum",
        "Äste hängen über die Straße",
        "Büsche verdecken die Sicht",
        "Wurzeln heben den Weg an",
        "Unkraut überall in der Grünanlage",
    ),
    "spielplatz": (
        "Schaukel kaputt",
        "Rutsche beschädigt",
        "Glasscherben im Sandkasten",
        "Klettergerüst wackelt",
        "Spielplatz verdreckt",
        "Seil der Seilbahn gerissen",
        "Zaun am Spielplatz hat ein Loch",
        "Wippe gebrochen",
        "Spritzen im Sand gefunden",
    ),
    "verkehrszeichen-ampeln": (
        "Ampel ausgefallen",
        "Ampel zeigt dauernd rot",
        "Verkehrsschild umgefahren",
        "Schild verdreht",
        "Stoppschild zugewachsen",
        "Fußgängerampel schaltet nicht",
        "Ampel blinkt nur gelb",
        "Leuchte an der Ampel kaputt",
        "Verkehrszeichen fehlt",
    ),
    "radwege": (
        "Radweg kaputt",
        "Schlagloch auf dem Radweg",
        "Radweg zugeparkt",
        "Wurzeln auf dem Fahrradweg",
        "Scherben auf dem Radweg",
        "Radwegmarkierung nicht mehr zu sehen",
        "Radweg endet plötzlich",
        "Bordstein am Radweg zu hoch",
    ),
    "gehwege": (
        "Gehweg kaputt",
        "Gehwegplatten lose",
        "Stolperfalle auf dem Bürgersteig",
        "Platte steht hoch, Stolpergefahr",
        "Gehweg abgesackt",
        "Loch im Gehweg",
        "Bordsteinabsenkung fehlt, mit Rollstuhl kein Durchkommen",
        "Pflaster auf dem Trottoir locker",
    ),
    "graffiti": (
        "Graffiti an der Wand",
        "Schmiererei an der Brücke",
        "Hakenkreuz gesprüht",
        "Wand beschmiert",
        "Tags an der Unterführung",
        "Aufkleber und Graffiti am Stromkasten",
        "beleidigende Sprüche an die Mauer gesprüht",
    ),
    "winterdienst": (
        "nicht gestreut",
        "Glatteis auf dem Weg",
        "Schnee nicht geräumt",
        "spiegelglatt, keiner streut",
        "Gehweg vereist",
        "Schneehaufen versperrt den Weg",
        "Räumdienst war nicht da",
    ),
    "kanal": (
        "Gully verstopft",
        "Straße steht unter Wasser",
        "Kanaldeckel klappert",
        "es stinkt aus dem Kanal",
        "Abfluss läuft nicht ab",
        "Gullydeckel fehlt",
        "nach Regen große Pfütze, Wasser läuft nicht weg",
        "Schachtdeckel kaputt",
    ),
    "sonstiges": (
        "Fahrrad seit Monaten abgestellt, verrostet",
        "Brunnen läuft nicht",
        "Sitzbank kaputt",
        "Autowrack ohne Kennzeichen",
        "Taubenplage",
        "Ratten gesehen",
        "Briefkasten beschädigt",
        "Bushaltestelle Scheibe eingeschlagen",
        "Uhr am Platz geht falsch",
    ),
}

DETAILS: dict[str, tuple[str, ...]] = {
    "schlagloch": ("mitten auf der Spur", "direkt vor der Einfahrt", "in der Kurve", "etwa {size} cm tief"),
    "strassenbeleuchtung": ("seit {days} Tagen", "Mast Nr. {mast}", "die zweite Laterne nach der Kreuzung"),
    "wilder-muell": ("ca. {volume} Kubikmeter", "seit dem Wochenende", "teilweise schon aufgerissen"),
    "papierkorb": ("an der Bushaltestelle", "am Eingang vom Park", "seit {days} Tagen"),
    "gruenflaechen": ("nach dem Sturm", "ca. {size} cm dick", "über dem Parkplatz"),
    "spielplatz": ("Kinder spielen trotzdem drauf", "beim Kleinkinderbereich", "seit letzter Woche"),
    "verkehrszeichen-ampeln": ("an der Kreuzung", "in Fahrtrichtung Innenstadt", "seit heute früh"),
    "radwege": ("auf der Seite Richtung Bahnhof", "vor der Schule", "auf ca. {size} m"),
    "gehwege": ("vor Hausnummer {house}", "an der Bushaltestelle", "auf ca. {size} m"),
    "graffiti": ("frisch seit gestern", "auf ca. {size} m Länge", "auch am Nachbarhaus"),
    "winterdienst": ("seit heute morgen", "vor der Schule", "am Treppenabgang"),
    "kanal": ("bei jedem Regen", "vor Hausnummer {house}", "seit {days} Tagen"),
    "sonstiges": ("seit {days} Wochen", "neben dem Eingang", "am Marktplatz"),
}

CONSEQUENCES = (
    "Radfahrer müssen ausweichen.",
    "Da stolpert noch jemand.",
    "Gefährlich für Kinder!",
    "Abends sieht man gar nichts.",
    "Ältere Leute kommen kaum vorbei.",
    "Mit dem Kinderwagen kommt man nicht durch.",
    "Das sieht schlimm aus.",
    "Das ist eine echte Gefahr.",
    "Mein Auto hat schon was abbekommen.",
    "Ich hab mich fast hingelegt.",
)
OPENERS = (
    "Hallo,",
    "Guten Tag,",
    "Sehr geehrte Damen und Herren,",
    "Hallo zusammen,",
    "Moin,",
    "Grüß Gott,",
    "Servus,",
)
CLOSERS = (
    "Danke!",
    "Vielen Dank fürs Kümmern.",
    "Bitte dringend beheben.",
    "Bitte schauen Sie sich das mal an.",
    "Das ist schon länger so.",
    "Mit freundlichen Grüßen",
    "Es wird immer schlimmer.",
    "Wäre schön, wenn da mal jemand kommt.",
    "Habe ich schon mal gemeldet, passiert ist nichts.",
)
# Swabian (Heilbronn area) replacements, word by word.
DIALECT = {
    "ist": "isch",
    "nicht": "net",
    "schon": "scho",
    "wir": "mir",
    "ein": "a",
    "eine": "a",
    "auch": "au",
    "das": "des",
    "Das": "Des",
    "haben": "hend",
    "hier": "do",
    "kaputt": "hee",
    "gehen": "gange",
}
DIALECT_PHRASES = ("Des isch doch net normal.", "Do muss mol einer guck.", "So ebbes!", "Des goht so net.")

# Personal data as citizens write it into descriptions (all invented; see the module docstring).
PERSONAL_DATA = (
    "Rufen Sie mich an: 0151 555{digits4}.",
    "Meine Nummer für Rückfragen: +49 7131 555{digits4}",
    "Bei Fragen: {first}.{last}@example.org",
    "Das Auto mit dem Kennzeichen HN-{letters} {digits3} steht hier immer.",
    "Der weiße Transporter HN {letters} {digits3} parkt jeden Tag auf dem Gehweg.",
    "Herr {last} aus Nr. {house} stellt hier immer seinen Müll ab, Tel. 07131 555{digits3}.",
    "Für die Erstattung meiner Reifenkosten: IBAN DE{iban}",
    "Schreiben Sie mir an {first}{digits3}@example.org",
)
# Numbers that are not personal data and must stay visible (house numbers, dates, sizes, amounts).
HARMLESS = (
    "Seit dem {day}.{month}.{year}.",
    "Habe schon am {day}.{month}. angerufen.",
    "Schaden ca. {amount} Euro an meiner Felge.",
    "Vor Hausnummer {house}.",
    "Ungefähr {size} cm groß.",
    "In 74072 Heilbronn, Ecke Nr. {house}.",
    "Gegen {hour}:{minute} Uhr gesehen.",
)

FIRST = ("anna", "lukas", "sabine", "mehmet", "jana", "thomas", "olga", "peter", "lea", "ali")
LAST = ("Meier", "Schmidt", "Yilmaz", "Weber", "Kowalski", "Fischer", "Wagner", "Becker")
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def _fill(rng: random.Random, text: str) -> str:
    values = {
        "size": rng.choice((5, 10, 15, 20, 30, 40, 50, 80)),
        "days": rng.randint(2, 14),
        "mast": f"{rng.randint(1, 40):02d}-{rng.randint(100, 999)}",
        "volume": rng.choice((1, 2, 3, 5)),
        "house": rng.randint(1, 140),
        "digits3": rng.randint(100, 999),
        "digits4": f"{rng.randint(0, 9999):04d}",
        "first": rng.choice(FIRST),
        "last": rng.choice(LAST),
        "letters": "".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 2))),
        "iban": f"{rng.randint(10, 99)} 3704 0044 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)} 00",
        "day": rng.randint(1, 28),
        "month": rng.randint(1, 12),
        "year": rng.choice((2024, 2025, 2026)),
        "amount": rng.choice(("80", "150", "249,90", "1.200")),
        "hour": rng.randint(6, 22),
        "minute": rng.choice(("00", "15", "30", "45")),
    }
    return text.format(**values)


def _typos(rng: random.Random, text: str, rate: float) -> str:
    chars = list(text)
    i = 0
    while i < len(chars) - 1:
        if chars[i].isalpha() and rng.random() < rate:
            kind = rng.random()
            if kind < 0.4:
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
            elif kind < 0.7:
                del chars[i]
            else:
                chars.insert(i, chars[i])
                i += 1
        i += 1
    return "".join(chars)


def _dialect(text: str) -> str:
    return " ".join(DIALECT.get(word, word) for word in text.split(" "))


def personal_data_sentence(rng: random.Random) -> str:
    return _fill(rng, rng.choice(PERSONAL_DATA))


def description(
    rng: random.Random, code: str, address: str, *, personal_data: bool = False, problem: str | None = None
) -> str:
    """One citizen's description of a problem of category `code` at `address`.

    `problem` fixes the problem phrase (a planted duplicate describes the same problem in its own words).
    """
    problems = PROBLEMS.get(code) or PROBLEMS["sonstiges"]
    problem = _fill(rng, problem or rng.choice(problems))
    style = rng.random()
    if style < 0.18:  # a one-line note from a phone
        text = problem.lower() if rng.random() < 0.6 else problem
        if rng.random() < 0.3:
            text += " " + rng.choice(("!!", "!", " bitte", " hier"))
        parts = [text]
    else:
        where = rng.choice(
            ("", f" bei {address}", " hier", f" in der {address.split(' ')[0]}", " an der Ecke")
        )
        parts = []
        if style > 0.75:
            parts.append(rng.choice(OPENERS))
        parts.append(f"{problem[0].upper()}{problem[1:]}{where}.")
        for _ in range(rng.choice((0, 1, 1, 2))):
            parts.append(_fill(rng, rng.choice(DETAILS.get(code, DETAILS["sonstiges"]))).capitalize() + ".")
        if rng.random() < 0.45:
            parts.append(rng.choice(CONSEQUENCES))
        if rng.random() < 0.25:
            parts.append(_fill(rng, rng.choice(HARMLESS)))
        if rng.random() < 0.5:
            parts.append(rng.choice(CLOSERS))
    text = " ".join(parts)
    roughen = rng.random()
    if roughen < 0.12:
        text = _dialect(text) + " " + rng.choice(DIALECT_PHRASES)
    elif roughen < 0.30:
        text = _typos(rng, text, 0.03)
    elif roughen < 0.40:
        text = text.lower().replace(".", "").replace(",", "")
    if personal_data:  # added after roughening: a typo must not make the value undetectable by design
        sentence = personal_data_sentence(rng)
        text = f"{text} {sentence}" if rng.random() < 0.7 else f"{sentence} {text}"
    return text


# Descriptions that name no category at all ("Bitte mal anschauen, ist gefährlich").
VAGUE = (
    "da ist was kaputt",
    "bitte mal anschauen, ist gefährlich",
    "Schaden hier",
    "Zustand ist unzumutbar",
    "seit Wochen so, keiner kümmert sich",
    "bitte beheben",
    "Gefahrenstelle",
)
VAGUE_SHARE = 0.07
NEIGHBOUR_WORDING_SHARE = 0.2


def problem_of(rng: random.Random, code: str) -> str:
    """The problem phrase: mostly the category's own wording, sometimes a neighbouring category's (a hole in
    the cycle path described as "Schlagloch in der Straße"), sometimes nothing that names a category."""
    from stadtdigital.reports.demo.misfiling import PLAUSIBLE_MISTAKES

    draw = rng.random()
    if draw < VAGUE_SHARE:
        return rng.choice(VAGUE)
    if draw < VAGUE_SHARE + NEIGHBOUR_WORDING_SHARE and PLAUSIBLE_MISTAKES.get(code):
        code = rng.choice(PLAUSIBLE_MISTAKES[code])
    return rng.choice(PROBLEMS.get(code) or PROBLEMS["sonstiges"])
