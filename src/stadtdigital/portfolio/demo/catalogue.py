# ruff: noqa: E501  (the project table below is data, one project per line)
"""The synthetic demo portfolio of "Musterstadt", modelled on a real city's first Digitalisierungsbericht.

As of 2021-06-30 it has 102 projects: 20 completed, 35 in implementation, 42 in preparation and 5 in other
statuses; the 35 in implementation have planned budgets of exactly 13.5 million EUR, most of it school
digitalization. Eight more projects start after that date. Every name, address and figure is invented.
"""

from dataclasses import dataclass
from decimal import Decimal

# (slug, name, short name, e-mail local part)
DEPARTMENTS = [
    ("hauptamt", "Hauptamt", "HA", "hauptamt"),
    ("personal-organisation", "Personal- und Organisationsamt", "POA", "personal"),
    ("digitalisierung-it", "Amt für Digitalisierung und IT", "DIT", "digitalisierung"),
    ("kaemmerei", "Kämmerei", "KÄM", "kaemmerei"),
    ("ordnungsamt", "Ordnungsamt", "OA", "ordnungsamt"),
    ("buergeramt", "Bürgeramt", "BA", "buergeramt"),
    ("schulverwaltungsamt", "Schulverwaltungsamt", "SVA", "schulen"),
    ("familie-jugend-senioren", "Amt für Familie, Jugend und Senioren", "FJS", "familie"),
    ("stadtarchiv", "Stadtarchiv", "StA", "stadtarchiv"),
    ("stadtentwicklung", "Amt für Stadtentwicklung", "ASE", "stadtentwicklung"),
    ("baurechtsamt", "Baurechtsamt", "BRA", "baurecht"),
    ("tiefbauamt", "Tiefbauamt", "TBA", "tiefbau"),
]
DEPARTMENT_KEYS = {
    "ha": "hauptamt",
    "poa": "personal-organisation",
    "dit": "digitalisierung-it",
    "kae": "kaemmerei",
    "oa": "ordnungsamt",
    "ba": "buergeramt",
    "sva": "schulverwaltungsamt",
    "fjs": "familie-jugend-senioren",
    "sta": "stadtarchiv",
    "ase": "stadtentwicklung",
    "bra": "baurechtsamt",
    "tba": "tiefbauamt",
}


@dataclass(frozen=True)
class FieldSpec:
    key: str
    slug: str
    name: str
    description: str
    budget_range: tuple[int, int]  # EUR, for projects whose budget the catalogue does not fix
    priority: str
    funding: tuple[str, float, float, float] | None  # source, probability, min share, max share
    kpi: tuple[str, str, int]  # name, unit, target
    tags: tuple[str, ...]
    partners: tuple[str, ...]


SCHOOL_FIELD_SLUG = "schulen-bildung"

FIELDS = [
    FieldSpec(
        "sch",
        SCHOOL_FIELD_SLUG,
        "Schulen und Bildung",
        "Schuldigitalisierung: Netze, Endgeräte, Lernplattformen und Medienbildung an den städtischen "
        "Schulen, zum großen Teil gefördert aus dem DigitalPakt Schule.",
        (40_000, 300_000),
        "high",
        ("DigitalPakt Schule (Bund und Land)", 0.9, 0.6, 0.9),
        ("Endgeräte im Unterricht", "Geräte", 6000),
        ("Schuldigitalisierung", "DigitalPakt", "Medienbildung", "Bildung"),
        (
            "Grundschule am Marktplatz",
            "Gymnasium am Stadtpark",
            "Realschule Nord",
            "Gemeinschaftsschule Süd",
            "Gewerbliche Schule Musterstadt",
            "Medienzentrum Musterstadt",
            "Staatliches Schulamt Musterstadt",
            "Hochschule Musterstadt",
            "Systemhaus Beispiel AG",
        ),
    ),
    FieldSpec(
        "bb",
        "breitband",
        "Breitband und Mobilfunk",
        "Gigabitfähige Netze für Haushalte, Unternehmen, Schulen und städtische Gebäude.",
        (60_000, 400_000),
        "high",
        ("Bundesförderprogramm Breitbandausbau", 0.9, 0.5, 0.7),
        ("Adressen mit Gigabitanschluss", "Adressen", 4200),
        ("Breitband", "Glasfaser", "Infrastruktur"),
        (
            "Stadtwerke Musterstadt GmbH",
            "Netzbau Süd GmbH",
            "Glasfaser Musterland GmbH",
            "Landkreis Musterland",
        ),
    ),
    FieldSpec(
        "ozg",
        "digitale-verwaltung",
        "Digitale Verwaltung und Onlinezugangsgesetz",
        "Verwaltungsleistungen online nach dem Onlinezugangsgesetz (OZG): von der Terminbuchung bis zum "
        "digitalen Bescheid.",
        (30_000, 250_000),
        "high",
        ("Landesprogramm Digitale Verwaltung", 0.4, 0.3, 0.6),
        ("Online-Anträge pro Monat", "Anträge", 1500),
        ("OZG", "Bürgerservice", "Online-Dienste"),
        (
            "Kommunales Rechenzentrum Musterland",
            "Formlos Digital GmbH",
            "Hochschule Musterstadt",
            "Systemhaus Beispiel AG",
        ),
    ),
    FieldSpec(
        "akte",
        "e-akte",
        "E-Akte und Dokumentenmanagement",
        "Die elektronische Akte ersetzt Papierakten; Posteingang, Bearbeitung und Ablage werden digital.",
        (50_000, 300_000),
        "high",
        ("Landesprogramm Digitale Verwaltung", 0.2, 0.2, 0.4),
        ("Beschäftigte mit E-Akte", "Personen", 900),
        ("E-Akte", "Dokumentenmanagement", "Papierlos"),
        ("Kommunales Rechenzentrum Musterland", "Systemhaus Beispiel AG", "Bürotechnik Muster KG"),
    ),
    FieldSpec(
        "pay",
        "e-payment",
        "E-Payment für Bürgerinnen und Bürger",
        "Gebühren, Steuern und Bußgelder bargeldlos und online bezahlen.",
        (20_000, 90_000),
        "high",
        None,
        ("Anteil bargeldloser Zahlungen", "%", 80),
        ("E-Payment", "Bürgerservice"),
        ("Kommunales Rechenzentrum Musterland", "Datenwerk Labs GmbH"),
    ),
    FieldSpec(
        "od",
        "open-data",
        "Open Data und Transparenz",
        "Daten der Stadt werden offen, maschinenlesbar und unter der Datenlizenz Deutschland veröffentlicht.",
        (15_000, 80_000),
        "high",
        ("Landesprogramm Open Data", 0.3, 0.3, 0.5),
        ("veröffentlichte Datensätze", "Datensätze", 150),
        ("Open Data", "Transparenz", "Datenlizenz Deutschland"),
        (
            "Hochschule Musterstadt",
            "Datenwerk Labs GmbH",
            "Stadtwerke Musterstadt GmbH",
            "Codeclub Musterstadt e. V.",
        ),
    ),
    FieldSpec(
        "ris",
        "ratsinformation",
        "Ratsinformationssystem und Gremienarbeit",
        "Digitale Gremienarbeit: Sitzungen, Vorlagen und Beschlüsse des Gemeinderats online und papierlos.",
        (40_000, 180_000),
        "medium",
        None,
        ("papierlose Sitzungen pro Jahr", "Sitzungen", 120),
        ("Ratsinformation", "Transparenz", "Gemeinderat"),
        ("Kommunales Rechenzentrum Musterland", "Systemhaus Beispiel AG"),
    ),
    FieldSpec(
        "ki",
        "ki-stadtarchiv",
        "KI im Stadtarchiv und digitales Kulturerbe",
        "Künstliche Intelligenz und Digitalisierung erschließen die Bestände des Stadtarchivs für alle.",
        (40_000, 150_000),
        "medium",
        ("Landesförderung Digitalisierung von Kulturgut", 0.7, 0.4, 0.7),
        ("transkribierte Seiten", "Seiten", 250000),
        ("KI", "Stadtarchiv", "Kulturerbe"),
        ("Transkripta AI UG", "Universität Beispielhausen", "Landesarchiv Musterland"),
    ),
    FieldSpec(
        "am",
        "anliegenmanagement",
        "Anliegenmanagement (Mängelmelder)",
        "Der Mängelmelder erfasst die Anliegen der Bürgerschaft systematisch und leitet sie an die "
        "zuständige Stelle.",
        (30_000, 120_000),
        "medium",
        ("Reallabor-Förderung des Landes", 0.5, 0.5, 0.8),
        ("erfasste Anliegen pro Jahr", "Meldungen", 6000),
        ("Mängelmelder", "Bürgerbeteiligung", "Open311"),
        ("Kiezmelder GmbH", "Hochschule Musterstadt", "Stadtwerke Musterstadt GmbH"),
    ),
    FieldSpec(
        "mob",
        "mobiles-arbeiten",
        "Mobiles Arbeiten",
        "Beschäftigte arbeiten ortsunabhängig, sicher und mit guter Ausstattung.",
        (60_000, 400_000),
        "medium",
        None,
        ("Beschäftigte mit mobilem Arbeitsplatz", "Personen", 1200),
        ("Mobiles Arbeiten", "Pandemie", "Arbeitswelt"),
        ("Systemhaus Beispiel AG", "Kommunales Rechenzentrum Musterland", "Bürotechnik Muster KG"),
    ),
    FieldSpec(
        "vk",
        "videokonferenzen",
        "Videokonferenzen und digitale Zusammenarbeit",
        "Besprechungen, Beratungen und Sitzungen auch per Video, intern wie mit Bürgerinnen und Bürgern.",
        (30_000, 150_000),
        "medium",
        None,
        ("Videokonferenzen pro Monat", "Konferenzen", 2500),
        ("Videokonferenzen", "Pandemie", "Zusammenarbeit"),
        ("Systemhaus Beispiel AG", "Kommunales Rechenzentrum Musterland"),
    ),
    FieldSpec(
        "sc",
        "smart-city",
        "Smart City und Mobilität",
        "Sensoren, Daten und digitale Dienste für Mobilität, Umwelt und Stadtentwicklung.",
        (50_000, 350_000),
        "medium",
        ("Bundesprogramm Modellprojekte Smart Cities", 0.7, 0.5, 0.65),
        ("angeschlossene Sensoren", "Sensoren", 800),
        ("Smart City", "Sensorik", "Nachhaltigkeit", "Mobilität"),
        (
            "Sensorfeld GmbH",
            "Stadtwerke Musterstadt GmbH",
            "Verkehrsverbund Musterland",
            "Universität Beispielhausen",
            "Forschungsinstitut Digitale Stadt e. V.",
        ),
    ),
    FieldSpec(
        "it",
        "it-infrastruktur",
        "IT-Infrastruktur und Informationssicherheit",
        "Ein sicherer, verfügbarer und zeitgemäßer Betrieb der städtischen IT.",
        (50_000, 450_000),
        "medium",
        None,
        ("umgesetzte Grundschutz-Anforderungen", "%", 100),
        ("Informationssicherheit", "Infrastruktur", "Open Source"),
        ("Kommunales Rechenzentrum Musterland", "Systemhaus Beispiel AG", "Datenwerk Labs GmbH"),
    ),
]

# (name, kind)
PARTNERS = [
    ("Grundschule am Marktplatz", "school"),
    ("Gymnasium am Stadtpark", "school"),
    ("Realschule Nord", "school"),
    ("Gemeinschaftsschule Süd", "school"),
    ("Gewerbliche Schule Musterstadt", "school"),
    ("Hochschule Musterstadt", "university"),
    ("Universität Beispielhausen", "university"),
    ("Datenwerk Labs GmbH", "startup"),
    ("Sensorfeld GmbH", "startup"),
    ("Transkripta AI UG", "startup"),
    ("Kiezmelder GmbH", "startup"),
    ("Formlos Digital GmbH", "startup"),
    ("Stadtwerke Musterstadt GmbH", "company"),
    ("Netzbau Süd GmbH", "company"),
    ("Glasfaser Musterland GmbH", "company"),
    ("Systemhaus Beispiel AG", "company"),
    ("Bürotechnik Muster KG", "company"),
    ("Kommunales Rechenzentrum Musterland", "public_body"),
    ("Landkreis Musterland", "public_body"),
    ("Staatliches Schulamt Musterstadt", "public_body"),
    ("Landesarchiv Musterland", "public_body"),
    ("Medienzentrum Musterstadt", "public_body"),
    ("Verkehrsverbund Musterland", "public_body"),
    ("Forschungsinstitut Digitale Stadt e. V.", "other"),
    ("Codeclub Musterstadt e. V.", "other"),
]

# The 35 projects in implementation on 2021-06-30 have planned budgets of exactly this sum; the project
# whose budget is "rest" takes what the others leave.
IMPLEMENTATION_BUDGET_2021 = Decimal("13500000.00")

# One line per project:  field | department | status on 2021-06-30 | later changes | budget | title | summary
# Status: C completed, I implementation, P preparation, X idea, Z paused, E cancelled, N new after 2021-06-30.
# Later changes: a sequence of <status letter><period>, period 1 = 2021-07..2022-06, period 2 = 2022-07..12;
# for N the first entry is the status the project is created with.
PROJECTS = """
sch|sva|I||rest|DigitalPakt Schule: Ausstattung der städtischen Schulen|Präsentationstechnik, Endgeräte und Server für alle 38 städtischen Schulen nach ihren Medienentwicklungsplänen.
sch|dit|I|C2|1104380|WLAN und strukturierte Verkabelung an weiterführenden Schulen|Flächendeckendes WLAN und neue Netzwerkverkabelung in allen weiterführenden Schulen.
sch|sva|I|C1|618750|Leihgeräte für Schülerinnen und Schüler|Tablets und Notebooks zur Ausleihe für Kinder ohne eigenes Gerät, beschafft im Sofortausstattungsprogramm.
sch|sva|I|C1|538200|Dienstgeräte für Lehrkräfte|Dienstliche Notebooks für alle Lehrkräfte der städtischen Schulen, mit Geräteverwaltung und Support.
sch|dit|I||257900|Lernplattform und Schulcloud|Eine datenschutzkonforme Lernplattform mit Cloudspeicher für Unterricht und Zusammenarbeit.
sch|dit|I||310000|Zentraler IT-Support für Schulen|Ein Support-Team mit Ticketsystem entlastet Lehrkräfte von der Betreuung der Schul-IT.
sch|sva|I|C2|352640|Interaktive Tafeln in Grundschulen|Digitale Tafeln und Dokumentenkameras ersetzen die Kreidetafeln in den Grundschulen.
sch|sva|C||-|Medienentwicklungspläne für alle Schulen|Jede Schule hat mit dem Schulträger einen Medienentwicklungsplan als Grundlage für die Förderung erstellt.
sch|dit|C||-|Videokonferenzsystem für den Fernunterricht|Ein eigenes Videokonferenzsystem für Fern- und Wechselunterricht während der Schulschließungen.
sch|sva|C||-|Neue Schulverwaltungssoftware|Die veralteten Schulverwaltungsprogramme sind durch ein landesweit genutztes Verfahren abgelöst.
sch|dit|P|I1|-|Glasfaseranbindung der beruflichen Schulen|Anschluss der beruflichen Schulen an das städtische Glasfasernetz mit symmetrischen Bandbreiten.
sch|sva|P||-|Digitaler Schülerausweis|Ein Schülerausweis auf dem Smartphone, der auch in Bibliothek, Mensa und Bus gilt.
sch|sva|P|I1|-|Fortbildungsreihe Medienbildung für Lehrkräfte|Gemeinsam mit dem Medienzentrum: Fortbildungen zu digitalem Unterricht und Medienkompetenz.
sch|sva|P|I2|-|Makerspaces in Schulen und Stadtbibliothek|Offene Werkstätten mit 3D-Druckern, Robotik und Programmierkursen für Kinder und Jugendliche.
sch|sva|P||-|Online-Anmeldung an weiterführenden Schulen|Eltern melden ihr Kind online an der weiterführenden Schule an, ohne Papierformulare.
sch|sva|P|I1|-|MINT-Labor mit der Hochschule|Ein Schülerlabor für Informatik und Technik in Kooperation mit der Hochschule Musterstadt.
bb|ase|I|C1|846300|Glasfaserausbau in Gewerbegebieten|Gigabitfähige Anschlüsse für die Gewerbegebiete Nord und Hafen, gemeinsam mit einem Netzbetreiber.
bb|ase|I||604150|Schließung weißer Flecken in den Stadtteilen|Geförderter Breitbandausbau für Adressen, die bisher mit weniger als 30 Mbit/s versorgt sind.
bb|ase|C||-|Markterkundungsverfahren Breitband|Erhebung der Versorgung und der Ausbaupläne der Netzbetreiber als Grundlage für die Förderung.
bb|ase|P|I1|-|Gigabitstrategie für Musterstadt|Ziele, Ausbaugebiete und Finanzierung für flächendeckende Gigabitnetze bis 2025.
bb|tba|P|I1|-|Mitverlegung von Leerrohren bei Tiefbaumaßnahmen|Bei jeder Straßenbaustelle werden Leerrohre für künftige Glasfaserleitungen mitverlegt.
bb|dit|P||-|Glasfaser für städtische Gebäude|Anbindung von Verwaltungsstandorten, Kitas und Feuerwachen an das Glasfasernetz.
bb|ase|X|P1|-|5G-Standortkonzept|Ein Konzept für Mobilfunkstandorte auf städtischen Gebäuden und Masten.
ozg|dit|I|C2|517800|Bürgerportal mit Servicekonto|Ein zentrales Portal für alle Online-Dienste der Stadt, mit Anmeldung über das Servicekonto.
ozg|ba|I|C1|85000|Online-Terminvereinbarung im Bürgeramt|Termine für Ausweis, Meldeangelegenheiten und Führerschein online buchen.
ozg|bra|I||297400|Digitaler Bauantrag|Bauanträge werden vollständig digital eingereicht, geprüft und beschieden.
ozg|oa|I|C1|95000|Online-Gewerbeanmeldung|Gewerbe online an-, um- und abmelden, mit Weiterleitung an die beteiligten Stellen.
ozg|fjs|I|C2|180000|Online-Anmeldung für Kita-Plätze|Eltern suchen Kitas online, melden ihren Bedarf an und erhalten Zusagen digital.
ozg|dit|I||330000|Formularserver und Prozessplattform|Eine Plattform, mit der Fachbereiche Online-Anträge selbst bauen und an Fachverfahren anbinden.
ozg|oa|C||-|Online-Antrag Bewohnerparkausweis|Bewohnerparkausweise werden online beantragt, bezahlt und per Post zugestellt.
ozg|kae|C||-|Digitale Hundesteueranmeldung|An- und Abmeldung von Hunden online, mit direktem Bescheid.
ozg|ba|P|I1|-|Online-Anmeldung der Eheschließung|Paare melden die Eheschließung online an und laden ihre Unterlagen hoch.
ozg|fjs|P|I1|-|Online-Antrag Wohngeld|Wohngeld wird online beantragt; Nachweise werden digital nachgereicht.
ozg|ba|P||-|Digitales Fundbüro|Verlorenes online suchen und Fundsachen direkt melden.
ozg|tba|P|I2|-|Digitale Sondernutzungserlaubnis|Anträge für Baustellen, Gerüste und Außengastronomie im öffentlichen Raum, durchgängig digital.
ozg|ha|P|I1|-|Digitaler Posteingang mit zentraler Scanstelle|Papierpost wird zentral gescannt und digital an die Fachbereiche verteilt.
ozg|dit|P||-|Service-Design für Online-Formulare|Formulare werden mit Bürgerinnen und Bürgern getestet und verständlich gestaltet.
ozg|dit|Z||-|Bürger-App Musterstadt|Eine App für Termine, Meldungen und Nachrichten der Stadt; pausiert, bis das Bürgerportal steht.
ozg|dit|E||-|Chatbot für häufige Bürgerfragen|Pilot eines Chatbots für Fragen an das Bürgeramt; nach der Testphase eingestellt.
akte|ha|I||662350|Einführung der E-Akte in der Kernverwaltung|Schrittweise Einführung der elektronischen Akte in allen Ämtern der Kernverwaltung.
akte|poa|I|C1|160000|Digitale Personalakte|Die Personalakten aller Beschäftigten werden digitalisiert und elektronisch geführt.
akte|kae|I|C1|140000|Elektronischer Rechnungsworkflow (XRechnung)|Rechnungen gehen als XRechnung ein und werden elektronisch geprüft und freigegeben.
akte|ha|C||-|Auswahl eines Dokumentenmanagementsystems|Ausschreibung und Auswahl des Dokumentenmanagementsystems, auf dem die E-Akte aufbaut.
akte|bra|P|I1|-|E-Akte im Baurechtsamt|Das Baurechtsamt führt Bauakten künftig elektronisch und digitalisiert den Altbestand.
akte|ha|P||-|Ersetzendes Scannen nach TR-RESISCAN|Papierdokumente werden rechtssicher gescannt, damit die Originale vernichtet werden können.
akte|fjs|P|I2|-|E-Akte im Jugendamt|Fallakten der Jugendhilfe werden elektronisch und datenschutzgerecht geführt.
pay|kae|I||120000|E-Payment im Bürgerportal|Gebühren für Online-Dienste per Karte, Lastschrift oder gängigen Online-Bezahlverfahren begleichen.
pay|kae|I|C1|65000|Kartenzahlung an allen Kassen der Verwaltung|Alle Kassen und Bürgerbüros nehmen Giro- und Kreditkarten sowie kontaktloses Bezahlen an.
pay|ba|C||-|Bargeldlose Zahlung im Bürgeramt|Im Bürgeramt wird an Kassenautomaten und am Schalter bargeldlos bezahlt.
pay|oa|P|I1|-|Online-Bezahlung von Verwarnungsgeldern|Verwarnungsgelder werden über einen Code auf dem Strafzettel online bezahlt.
pay|tba|P||-|Digitale Parkscheine per App|Parkgebühren werden minutengenau per Smartphone bezahlt.
od|dit|I|C1|140000|Open-Data-Portal der Stadt|Ein Portal für offene Daten der Stadt unter der Datenlizenz Deutschland, harvestbar durch GovData.
od|kae|I||45000|Offener Haushalt|Der städtische Haushalt als interaktive Visualisierung und als offene Daten.
od|ha|C||-|Open-Data-Leitlinie|Der Gemeinderat hat beschlossen: Daten der Stadt sind offen, wenn nichts dagegen spricht.
od|tba|P|I1|-|Parkhausbelegung in Echtzeit als Open Data|Freie Stellplätze der städtischen Parkhäuser als offene Echtzeitdaten.
od|dit|P|I2|-|Open-Data-Hackathon mit der Hochschule|Studierende und Zivilgesellschaft entwickeln Anwendungen mit den offenen Daten der Stadt.
od|ase|P||-|Geodaten unter offener Lizenz|Stadtplan, Bebauungspläne und Luftbilder als offene Geodaten.
od|dit|X||-|Datenkooperation mit den Stadtwerken|Gemeinsame Nutzung von Energie- und Verkehrsdaten mit den Stadtwerken.
ris|ha|C||-|Digitales Ratsinformationssystem|Sitzungen, Vorlagen und Beschlüsse des Gemeinderats sind online recherchierbar; die Gremienarbeit läuft papierlos.
ris|ha|C||-|Tablets für Gemeinderatsmitglieder|Alle Stadträtinnen und Stadträte arbeiten mit Tablets und der Mandatsträger-App.
ris|ha|I|C1|95000|Livestream der Gemeinderatssitzungen|Öffentliche Sitzungen des Gemeinderats werden live übertragen und als Aufzeichnung bereitgestellt.
ris|ha|P|I2|-|Online-Beteiligung zu Gemeinderatsvorlagen|Bürgerinnen und Bürger kommentieren ausgewählte Vorlagen vor der Beratung online.
ki|sta|I|C2|230000|KI-gestützte Handschriftenerkennung im Stadtarchiv|Künstliche Intelligenz transkribiert handschriftliche Quellen und macht sie durchsuchbar.
ki|sta|I||180000|Digitalisierung der Ratsprotokolle 1850–1950|Hundert Jahre Ratsprotokolle werden gescannt, erschlossen und online gestellt.
ki|sta|C||-|Digitaler Lesesaal des Stadtarchivs|Recherche in den Beständen und Bestellung von Archivalien online.
ki|sta|P|I1|-|Digitale Langzeitarchivierung|Elektronische Unterlagen der Verwaltung werden dauerhaft und unveränderbar archiviert.
ki|sta|P||-|Bildarchiv mit automatischer Verschlagwortung|Historische Fotos werden mit Bilderkennung erschlossen und online zugänglich gemacht.
am|dit|I|C1|160000|Reallabor Anliegenmanagement: Online-Mängelmelder|Ein Mängelmelder, der Anliegen der Bürgerschaft zu Schlaglöchern, Beleuchtung oder Müll systematisch erfasst.
am|tba|I|C2|90000|Anbindung des Mängelmelders an die Fachverfahren|Meldungen landen über Open311 direkt in den Fachverfahren von Tiefbauamt und Betriebshof.
am|oa|C||-|Pilot Mängelmelder in der Innenstadt|Ein halbjähriger Pilot des Mängelmelders in der Innenstadt, mit Auswertung.
am|oa|P|I1|-|Mobile Erfassung für den Außendienst|Der Kommunale Ordnungsdienst erfasst und erledigt Meldungen mobil vor Ort.
am|ase|P||-|Auswertung der Anliegen für die Stadtplanung|Anonymisierte Auswertungen der Meldungen fließen in Planung und Unterhaltung ein.
mob|poa|C||-|Dienstvereinbarung mobiles Arbeiten|Mit dem Personalrat vereinbarte Regeln für mobiles Arbeiten und Homeoffice.
mob|dit|C||-|Notebooks für mobiles Arbeiten|1.200 Arbeitsplätze sind mit Notebooks statt Desktop-PCs ausgestattet.
mob|dit|C||-|VPN-Zugang für alle Beschäftigten|Sicherer Fernzugriff auf Fachverfahren und Dateiablagen von zu Hause.
mob|dit|I||480000|Digitaler Arbeitsplatz|Ein einheitlicher digitaler Arbeitsplatz mit Zusammenarbeit, Telefonie und Dateiablage.
mob|ha|P|I1|-|Desk-Sharing im Technischen Rathaus|Flexible Arbeitsplätze mit Buchungssystem für Teams, die mobil arbeiten.
mob|poa|P||-|Digitale Lernangebote für Beschäftigte|E-Learning zu Digitalkompetenzen, Datenschutz und Informationssicherheit.
vk|dit|C||-|Videokonferenzsystem für die Verwaltung|Ein selbst betriebenes Videokonferenzsystem für interne und externe Besprechungen.
vk|fjs|C||-|Videoberatung für Bürgerinnen und Bürger|Beratungsgespräche in Sozial- und Jugendhilfe auch per Video.
vk|dit|I|C1|210000|Hybride Sitzungsräume im Rathaus|Sitzungsräume mit Kameras, Mikrofonen und Bildschirmen für hybride Besprechungen.
vk|ba|P||-|Videodolmetschen im Bürgeramt|Dolmetscherinnen und Dolmetscher werden bei Bedarf per Video zugeschaltet.
sc|tba|I||418900|Intelligente Straßenbeleuchtung|LED-Leuchten mit Sensorik dimmen bedarfsgerecht und melden Störungen selbst.
sc|ase|I|C2|260000|Digitales Parkleitsystem|Dynamische Anzeige freier Parkplätze in Parkhäusern und an der Straße.
sc|dit|I|C1|95000|LoRaWAN-Sensornetz|Ein stadtweites Funknetz für Sensoren zu Wasserständen, Bodenfeuchte und Füllständen.
sc|dit|I||225000|Urbane Datenplattform|Eine Plattform, die Sensordaten und Fachdaten der Stadt zusammenführt und bereitstellt.
sc|ase|C||-|Smart-City-Strategie|Die vom Gemeinderat beschlossene Strategie für die digitale Stadtentwicklung.
sc|ase|P|I1|-|Digitaler Zwilling der Innenstadt|Ein 3D-Stadtmodell für Planung, Simulation und Bürgerbeteiligung.
sc|ase|P|I2|-|Luftqualität messen mit Umweltsensoren|Ein Netz günstiger Sensoren misst Feinstaub und Stickoxide in den Stadtteilen.
sc|tba|P|I1|-|Hochwasser-Frühwarnung mit Pegelsensoren|Sensoren an den Bächen warnen früh vor Starkregen und Hochwasser.
sc|tba|P||-|Smarte Abfallbehälter|Füllstandsensoren in Abfallbehältern optimieren die Leerungstouren.
sc|ase|P||-|Mobilitätsplattform für Bus, Rad und Carsharing|Eine Plattform, die die Verkehrsangebote der Stadt und ihrer Partner verknüpft.
sc|dit|P|I1|-|Öffentliches WLAN in der Innenstadt|Kostenloses WLAN auf Plätzen, in Bürgerbüros und in der Stadtbibliothek.
it|dit|I||557800|Erneuerung des Rechenzentrums|Modernisierung von Servern, Speicher und Notstromversorgung im städtischen Rechenzentrum.
it|dit|I|C2|125000|Informationssicherheitsmanagement nach IT-Grundschutz|Aufbau eines Informationssicherheitsmanagements nach BSI IT-Grundschutz, mit Beauftragten in allen Ämtern.
it|dit|C||-|Zwei-Faktor-Anmeldung für Fernzugriffe|Fernzugriffe auf das Verwaltungsnetz sind nur noch mit einem zweiten Faktor möglich.
it|dit|P|I1|-|Erneuerung der Arbeitsplatzrechner|Austausch veralteter PCs und Umstellung auf ein aktuelles Betriebssystem.
it|dit|P||-|Segmentierung des Verwaltungsnetzes|Das Netz wird in Zonen geteilt, damit sich ein Angriff nicht ausbreiten kann.
it|dit|P|I1|-|IT-Notfallhandbuch und Übungen|Notfallpläne für den Ausfall zentraler IT, mit jährlichen Übungen.
it|dit|P||-|Cloud-Strategie|Welche Dienste die Stadt in welcher Cloud betreiben darf, rechtlich und technisch bewertet.
it|dit|P|I2|-|Open-Source-Strategie|Prüfung offener Software für den Arbeitsplatz, um Abhängigkeiten von Herstellern zu verringern.
it|dit|Z|I1|-|Umstellung der Telefonanlage auf VoIP|Ablösung der alten Telefonanlage durch Internet-Telefonie; pausiert wegen Lieferengpässen.
sch|sva|N|P1I1|-|IT-Administration an Schulen|Zusätzliche IT-Administratorinnen und -Administratoren für die Schulen, gefördert aus der Ergänzung zum DigitalPakt.
ozg|ba|N|P1I1|-|Digitale Registrierung von Geflüchteten aus der Ukraine|Schnelle digitale Erfassung und Terminvergabe für Schutzsuchende aus der Ukraine.
ozg|dit|N|P1|-|Barrierefreie städtische Website|Überarbeitung der Website nach BITV 2.0, mit Angeboten in Leichter Sprache und Gebärdensprache.
sc|ase|N|P1|-|Energiemonitoring städtischer Gebäude|Zähler in Schulen und Verwaltungsgebäuden melden den Verbrauch und helfen beim Energiesparen.
am|dit|N|P1I2|-|Mängelmelder-Daten als Open Data|Erledigte Meldungen werden anonymisiert als offene Daten veröffentlicht.
it|dit|N|P1|-|Schutz vor Schadsoftware in E-Mails|Ein zusätzlicher Filter prüft Anhänge und Links, bevor E-Mails die Beschäftigten erreichen.
vk|dit|N|X1|-|Offene Videokonferenzen für Schulen und Verwaltung|Prüfung einer gemeinsamen Open-Source-Videokonferenzlösung für Schulen und Verwaltung.
akte|ha|N|P2|-|E-Akte in den Bürgerbüros|Die Bürgerbüros führen Vorgänge elektronisch und scannen Unterlagen direkt am Schalter.
"""


@dataclass(frozen=True)
class ProjectSpec:
    field: str
    department: str
    status_2021: str
    later: tuple[tuple[str, int], ...]
    budget: str
    title: str
    summary: str


def project_specs() -> list[ProjectSpec]:
    specs = []
    for line in PROJECTS.strip().splitlines():
        field, dept, status, later, budget, title, summary = (part.strip() for part in line.split("|"))
        steps = tuple((later[i], int(later[i + 1])) for i in range(0, len(later), 2))
        specs.append(ProjectSpec(field, DEPARTMENT_KEYS[dept], status, steps, budget, title, summary))
    return specs
