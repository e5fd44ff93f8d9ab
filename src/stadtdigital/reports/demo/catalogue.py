# ruff: noqa: SIM905  (word lists are data)
"""The demo category catalogue of "Musterstadt": groups, categories, departments, questions, answer templates.

Typical for a German city; every text is invented. Departments are matched by slug, so the portfolio demo's
Tiefbauamt and Ordnungsamt are reused and the others are added.
"""

from dataclasses import dataclass, field

# (slug, name, short name, e-mail local part)
DEPARTMENTS = [
    ("tiefbauamt", "Tiefbauamt", "TBA", "tiefbau"),
    ("ordnungsamt", "Ordnungsamt", "OA", "ordnungsamt"),
    ("gruenflaechenamt", "Grünflächenamt", "GFA", "gruenflaechen"),
    ("betriebshof", "Betriebshof / Stadtreinigung", "BH", "betriebshof"),
    ("strassenverkehr", "Amt für Straßenverkehr", "ASV", "strassenverkehr"),
    ("stadtentwaesserung", "Stadtentwässerung", "SEW", "stadtentwaesserung"),
]

GROUPS = [
    ("Straße und Verkehr", 1),
    ("Sauberkeit und Müll", 2),
    ("Grün und Freizeit", 3),
    ("Sonstiges", 9),
]


@dataclass(frozen=True)
class Question:
    code: str
    label: str
    datatype: str
    required: bool = False
    choices: tuple[str, ...] = ()
    help_text: str = ""
    public: bool = True  # the demo's questions ask nothing personal: their answers are shown publicly


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    group: str
    department: str
    description: str
    keywords: str
    target_days: int
    radius_m: int = 50
    notice: str = ""
    emergency: str = ""
    needs_triage: bool = False
    questions: tuple[Question, ...] = ()
    weight: int = 10  # share of the demo reports
    texts: tuple[str, ...] = field(default=())  # description fragments of synthetic reports


CATEGORIES = [
    CategorySpec(
        "schlagloch",
        "Straßenschäden und Schlaglöcher",
        "Straße und Verkehr",
        "tiefbauamt",
        "Schlaglöcher, Risse, abgesackte Fahrbahn und lose Pflastersteine auf Straßen.",
        "Schlagloch, Loch, Fahrbahn, Asphalt, Riss, Pflaster, Straße kaputt",
        14,
        notice="Bitte beschreiben Sie, wo genau auf der Fahrbahn der Schaden liegt.",
        questions=(Question("durchmesser", "Durchmesser (ca. cm)", "number"),),
        weight=18,
        texts=(
            "Tiefes Schlagloch auf der Fahrbahn{where}.",
            "Die Fahrbahn ist{where} aufgebrochen, Radfahrer müssen ausweichen.",
            "Mehrere Schlaglöcher hintereinander{where}, nach dem Regen voll Wasser.",
            "Abgesackter Asphalt{where}, Autos setzen auf.",
            "Lose Pflastersteine{where}, sie klappern bei jedem Auto.",
        ),
    ),
    CategorySpec(
        "strassenbeleuchtung",
        "Straßenbeleuchtung",
        "Straße und Verkehr",
        "tiefbauamt",
        "Defekte Straßenlaternen und Beleuchtung von Wegen und Plätzen.",
        "Laterne, Licht, Lampe, Beleuchtung, dunkel, flackert",
        10,
        notice="Die Mastnummer steht meist auf einem Schild am Laternenmast.",
        emergency="Bei Gefahr (z. B. offene Kabel, umgestürzter Mast): Polizei 110.",
        questions=(
            Question("mastnummer", "Mastnummer", "string", help_text="z. B. 12-345"),
            Question(
                "defekt",
                "Art des Defekts",
                "singlevaluelist",
                required=True,
                choices=("leuchtet nicht", "flackert", "leuchtet tagsüber"),
            ),
        ),
        weight=14,
        texts=(
            "Die Straßenlaterne{where} ist seit Tagen aus.",
            "Laterne{where} flackert die ganze Nacht.",
            "Mehrere Lampen{where} sind dunkel, der Weg ist abends kaum zu sehen.",
            "Die Laterne{where} brennt auch tagsüber.",
        ),
    ),
    CategorySpec(
        "wilder-muell",
        "Wilder Müll",
        "Sauberkeit und Müll",
        "betriebshof",
        "Illegal abgelagerter Müll, Sperrmüll, Elektrogeräte oder Bauschutt im öffentlichen Raum.",
        "Müll, Sperrmüll, Abfall, Dreck, abgestellt, Ablagerung, Reifen",
        7,
        radius_m=100,
        notice="Bitte keine Fotos, auf denen Personen oder Kennzeichen zu erkennen sind.",
        questions=(
            Question(
                "art",
                "Art des Mülls",
                "multivaluelist",
                required=True,
                choices=("Sperrmüll", "Elektrogeräte", "Bauschutt", "Reifen", "Sonstiges"),
            ),
            Question("menge", "Menge (ca. m³)", "number"),
        ),
        weight=16,
        texts=(
            "Jemand hat{where} Sperrmüll abgestellt: ein altes Sofa und mehrere Säcke.",
            "Müllsäcke liegen{where} am Straßenrand, Tiere reißen sie auf.",
            "Alte Autoreifen wurden{where} abgeladen.",
            "Bauschutt und Farbeimer{where} im Gebüsch.",
            "Ein alter Kühlschrank steht{where} auf dem Gehweg.",
        ),
    ),
    CategorySpec(
        "papierkorb",
        "Papierkörbe",
        "Sauberkeit und Müll",
        "betriebshof",
        "Volle, beschädigte oder fehlende Papierkörbe und Hundekotbeutelspender.",
        "Papierkorb, Mülleimer, überfüllt, Hundekotbeutel",
        5,
        weight=7,
        texts=(
            "Der Papierkorb{where} quillt über.",
            "Papierkorb{where} ist abgebrochen und liegt am Boden.",
            "Der Spender für Hundekotbeutel{where} ist leer.",
        ),
    ),
    CategorySpec(
        "gruenflaechen",
        "Grünflächen und Bäume",
        "Grün und Freizeit",
        "gruenflaechenamt",
        "Umgestürzte oder kranke Bäume, herabhängende Äste, ungepflegte Grünflächen, zugewachsene Wege.",
        "Baum, Ast, Hecke, Gras, Wiese, Grünfläche, Gebüsch, zugewachsen",
        21,
        emergency="Droht ein Baum oder Ast auf Straße oder Weg zu stürzen? Sofort Feuerwehr 112.",
        weight=10,
        texts=(
            "Ein großer Ast hängt{where} abgebrochen im Baum.",
            "Die Hecke{where} wächst weit über den Gehweg.",
            "Die Wiese{where} wurde lange nicht gemäht.",
            "Ein Baum{where} wirkt krank, die Rinde löst sich.",
        ),
    ),
    CategorySpec(
        "spielplatz",
        "Spielplätze",
        "Grün und Freizeit",
        "gruenflaechenamt",
        "Beschädigte Spielgeräte, Scherben oder Verschmutzungen auf Spielplätzen.",
        "Spielplatz, Schaukel, Rutsche, Sandkasten, Klettergerüst, Scherben",
        7,
        emergency="Akute Verletzungsgefahr? Bitte das Gerät nicht benutzen und Ordnungsamt anrufen.",
        questions=(Question("spielgeraet", "Spielgerät", "string", help_text="z. B. Schaukel, Rutsche"),),
        weight=5,
        texts=(
            "Die Schaukel{where} hat eine gerissene Kette.",
            "Im Sandkasten{where} liegen Glasscherben.",
            "An der Rutsche{where} steht eine Schraube heraus.",
        ),
    ),
    CategorySpec(
        "verkehrszeichen-ampeln",
        "Verkehrszeichen und Ampeln",
        "Straße und Verkehr",
        "strassenverkehr",
        "Beschädigte, verdrehte oder fehlende Verkehrszeichen, gestörte Ampeln.",
        "Schild, Verkehrszeichen, Ampel, Lichtsignal, Markierung",
        5,
        emergency="Ampel an einer Kreuzung ganz ausgefallen? Bitte sofort Polizei 110 anrufen.",
        weight=7,
        texts=(
            "Das Verkehrsschild{where} ist umgefahren.",
            "Die Ampel{where} zeigt für Fußgänger kein Grün mehr.",
            "Das Stoppschild{where} ist zugewachsen und kaum zu sehen.",
            "Die Fahrbahnmarkierung{where} ist fast nicht mehr zu erkennen.",
        ),
    ),
    CategorySpec(
        "radwege",
        "Radwege",
        "Straße und Verkehr",
        "tiefbauamt",
        "Schäden, Hindernisse und fehlende Markierungen auf Radwegen.",
        "Radweg, Fahrrad, Radfahrstreifen, Wurzel, Hindernis",
        14,
        weight=6,
        texts=(
            "Wurzeln heben den Radweg{where} stark an.",
            "Auf dem Radweg{where} liegen Scherben.",
            "Der Radweg{where} endet plötzlich ohne Markierung.",
        ),
    ),
    CategorySpec(
        "gehwege",
        "Gehwege",
        "Straße und Verkehr",
        "tiefbauamt",
        "Stolperstellen, lose Platten und Schäden auf Gehwegen.",
        "Gehweg, Bürgersteig, Platte, Stolperfalle, Bordstein",
        14,
        weight=7,
        texts=(
            "Eine Gehwegplatte{where} steht hoch, Stolpergefahr.",
            "Der Bordstein{where} ist abgebrochen.",
            "Gehweg{where} ist abgesackt, bei Regen steht dort Wasser.",
        ),
    ),
    CategorySpec(
        "graffiti",
        "Graffiti",
        "Sauberkeit und Müll",
        "betriebshof",
        "Schmierereien an städtischen Gebäuden, Brücken und Stromkästen.",
        "Graffiti, Schmiererei, Farbe, beschmiert",
        21,
        notice="Graffiti an Privathäusern entfernt die Stadt nicht; bitte die Eigentümer informieren.",
        weight=4,
        texts=(
            "Die Unterführung{where} ist großflächig beschmiert.",
            "Graffiti am Stromkasten{where}.",
            "Schmierereien an der Bushaltestelle{where}.",
        ),
    ),
    CategorySpec(
        "winterdienst",
        "Winterdienst",
        "Straße und Verkehr",
        "betriebshof",
        "Nicht geräumte oder glatte Straßen und Wege, fehlendes Streugut.",
        "Schnee, Glätte, Eis, streuen, räumen, Winterdienst",
        2,
        radius_m=150,
        emergency="Bei Unfällen durch Glätte: Notruf 112.",
        weight=3,
        texts=(
            "Der Fußweg{where} ist spiegelglatt und nicht gestreut.",
            "Die Straße{where} wurde nicht geräumt.",
            "Die Streugutkiste{where} ist leer.",
        ),
    ),
    CategorySpec(
        "kanal",
        "Kanaldeckel und Gullys",
        "Straße und Verkehr",
        "stadtentwaesserung",
        "Klappernde oder fehlende Kanaldeckel, verstopfte Gullys und Straßenabläufe.",
        "Gully, Kanaldeckel, Schacht, Abfluss, verstopft, Überschwemmung",
        7,
        emergency="Offener Schacht? Sofort 112 anrufen und die Stelle sichern, wenn das gefahrlos geht.",
        weight=5,
        texts=(
            "Der Gully{where} ist verstopft, nach Regen steht die Straße unter Wasser.",
            "Der Kanaldeckel{where} klappert laut bei jedem Auto.",
            "Aus dem Straßenablauf{where} riecht es stark.",
        ),
    ),
    CategorySpec(
        "sonstiges",
        "Sonstiges",
        "Sonstiges",
        "ordnungsamt",
        "Alles, was in keine andere Kategorie passt. Die Verwaltung ordnet es der richtigen Stelle zu.",
        "sonstiges, anderes",
        14,
        needs_triage=True,
        weight=4,
        texts=(
            "Ein Fahrrad steht seit Monaten{where} angeschlossen und verrostet.",
            "Der Brunnen{where} läuft nicht mehr.",
            "Die Sitzbank{where} ist kaputt.",
            "Ein Autowrack ohne Kennzeichen steht{where}.",
        ),
    ),
]

# Free-text additions to synthetic reports (never names of persons).
ADDITIONS = (
    "",
    "",
    "",
    " Das ist schon länger so.",
    " Bitte bald beheben, dort gehen viele Kinder zur Schule.",
    " Abends ist das besonders gefährlich.",
    " Ich habe es heute Morgen bemerkt.",
    " Danke fürs Kümmern!",
    " Es wird immer schlimmer.",
    " Betrifft auch die Nachbarn.",
)

# Answer templates: (title, state, text); category-specific ones add the category code.
STATE_TEMPLATES = [
    (
        "Eingang bestätigt",
        "in_review",
        "Vielen Dank für Ihre Meldung. Wir prüfen Ihr Anliegen und melden uns, sobald es Neuigkeiten gibt.",
    ),
    (
        "In Bearbeitung",
        "in_progress",
        "Ihr Anliegen ist bei der zuständigen Stelle angekommen und wird bearbeitet. Danke für Ihre Geduld.",
    ),
    (
        "Erledigt",
        "fixed",
        "Der Mangel ist behoben. Vielen Dank für Ihren Hinweis, so bleibt unsere Stadt in Schuss.",
    ),
    (
        "Geschlossen ohne Behebung",
        "closed_not_fixed",
        "Wir haben die Stelle geprüft. Eine Behebung ist derzeit nicht möglich oder nicht nötig. "
        "Wir behalten die Stelle im Blick.",
    ),
    (
        "Abgelehnt",
        "rejected",
        "Wir konnten an der beschriebenen Stelle keinen Mangel feststellen. Bitte melden Sie sich erneut, "
        "wenn das Problem weiter besteht.",
    ),
    (
        "Duplikat",
        "duplicate",
        "Diese Stelle ist uns bereits gemeldet worden. Wir bearbeiten sie unter der früheren Meldung weiter.",
    ),
    (
        "Nicht zuständig",
        "not_responsible",
        "Für dieses Anliegen ist die Stadt nicht zuständig. Wir haben es an die zuständige Stelle "
        "weitergegeben.",
    ),
    ("Wieder geöffnet", "reopened", "Danke für Ihre Rückmeldung. Wir sehen uns die Stelle noch einmal an."),
]
CATEGORY_TEMPLATES = [
    (
        "Schlagloch gesichert",
        "in_progress",
        "schlagloch",
        "Die Stelle ist gesichert und für die Reparatur eingeplant. Bei Frost kann es etwas länger dauern.",
    ),
    ("Schlagloch ausgebessert", "fixed", "schlagloch", "Das Schlagloch wurde ausgebessert. Gute Fahrt!"),
    (
        "Leuchte repariert",
        "fixed",
        "strassenbeleuchtung",
        "Die Leuchte wurde repariert und brennt wieder. Danke für die Meldung.",
    ),
    (
        "Leuchtmittel bestellt",
        "in_progress",
        "strassenbeleuchtung",
        "Für die Reparatur wird ein Ersatzteil benötigt. Es ist bestellt.",
    ),
    ("Müll abgeholt", "fixed", "wilder-muell", "Der Betriebshof hat den Müll abgeholt."),
    (
        "Abholung geplant",
        "in_progress",
        "wilder-muell",
        "Die Abholung ist eingeplant. Wir prüfen außerdem, wer den Müll abgestellt hat.",
    ),
    ("Papierkorb geleert", "fixed", "papierkorb", "Der Papierkorb wurde geleert bzw. ersetzt."),
    (
        "Baumkontrolle",
        "in_progress",
        "gruenflaechen",
        "Unsere Baumkontrolle sieht sich den Baum an und entscheidet über die nötigen Arbeiten.",
    ),
    (
        "Spielgerät gesperrt",
        "in_progress",
        "spielplatz",
        "Das Spielgerät ist bis zur Reparatur gesperrt. Danke, dass Sie aufgepasst haben.",
    ),
    ("Graffiti entfernt", "fixed", "graffiti", "Die Schmiererei wurde entfernt."),
    ("Gestreut", "fixed", "winterdienst", "Der Winterdienst war vor Ort und hat geräumt und gestreut."),
    ("Gully gereinigt", "fixed", "kanal", "Der Straßenablauf wurde gereinigt und läuft wieder frei."),
]

FORWARDED_TO = (
    "Regierungspräsidium (Landesstraße)",
    "Deutsche Bahn AG (Bahngelände)",
    "Landratsamt",
    "Stadtwerke Musterstadt GmbH",
    "Netzbetreiber Strom (Beispiel-Netz GmbH)",
    "Wasserstraßen- und Schifffahrtsamt",
)
CLOSED_REASONS = (
    "Die Fläche gehört nicht der Stadt; die Eigentümer sind informiert.",
    "Die Reparatur ist Teil der geplanten Sanierung im nächsten Jahr.",
    "Der Schaden ist gering und wird bei der nächsten Kontrolle erneut geprüft.",
)
REJECT_REASONS = (
    "Vor Ort war kein Mangel festzustellen.",
    "Die Meldung enthält keinen Ort, an dem wir etwas prüfen könnten.",
)

FIRST_NAMES = (
    "Anna Lena Marie Sophie Laura Julia Lea Hannah Sarah Lisa Katharina Miriam Petra Sabine Ute Heike "
    "Jonas Lukas Leon Paul Felix Tim Jan Max David Simon Thomas Michael Andreas Stefan Jürgen Klaus Murat "
    "Elif Ayşe Mehmet Ivana Marco Giulia Piotr Olga"
).split()
LAST_NAMES = (
    "Beispiel Muster Probe Testmann Mustermann Musterfrau Exempel Fiktiv Demo Erfunden Platzhalter Lorem "
    "Ipsum Sample Modell Vorlage Schablone Entwurf Skizze Attrappe"
).split()
