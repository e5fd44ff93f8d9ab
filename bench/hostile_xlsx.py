"""Benchmark: memory and time of the portfolio import on hostile XLSX files.

    python bench/hostile_xlsx.py            # the three files of issue 10, full size
    python bench/hostile_xlsx.py --smoke    # small versions (CI, a few seconds)

Builds, in a temporary directory:
  * dtd:            sharedStrings.xml with a DTD: "billion laughs" entities and an external entity;
  * shared-string:  a ~300 kB file whose one shared string unpacks to 300 MB;
  * many-rows:      a file declaring (and holding) 2,000,000 rows, within the unpacked-size limit;
then runs `stadtdigital portfolio import --dry-run FILE` for each in a fresh process (a throwaway SQLite
database) and prints the file size, the exit status, the wall-clock and CPU seconds, the peak RSS of that
process (its ru_maxrss) and the first line of its error message. Target: every file refused with a message
naming the limit, exit status 1, peak RSS < 200 MB.

The builders are also used by the tests (tests/portfolio/test_import_hostile_xlsx.py) with small sizes.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

TARGET_PEAK_MB = 200

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Projekte" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="A1:A{rows}"/><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"
# Row 1 shows shared string 0 ("Titel"), so a reader must resolve the shared strings to get anywhere.
FIRST_ROW = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'


def write_xlsx(path: Path, *, shared_strings, sheet_rows=(), declared_rows: int = 1) -> Path:
    """A minimal XLSX; shared_strings and sheet_rows are iterables of text chunks, written streaming."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START.format(rows=declared_rows).encode())
            sheet.write(FIRST_ROW.encode())
            for chunk in sheet_rows:
                sheet.write(chunk.encode())
            sheet.write(SHEET_END.encode())
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            for chunk in shared_strings:
                strings.write(chunk.encode() if isinstance(chunk, str) else chunk)
    return path


def shared_strings(*texts: str) -> list[str]:
    items = "".join(f"<si><t>{text}</t></si>" for text in texts)
    return [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
        items,
        "</sst>",
    ]


def billion_laughs(path: Path, *, levels: int = 10) -> Path:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, levels)
    ]
    doctype = f"<!DOCTYPE sst [{''.join(entities)}]>"
    return write_xlsx(
        path,
        shared_strings=[
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            doctype,
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
            f"<si><t>&lol{levels - 1};</t></si></sst>",
        ],
    )


def external_entity(path: Path, target: str = "file:///etc/passwd") -> Path:
    return write_xlsx(
        path,
        shared_strings=[
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            f'<!DOCTYPE sst [<!ENTITY secret SYSTEM "{target}">]>',
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
            "<si><t>&secret;</t></si></sst>",
        ],
    )


def huge_shared_string(path: Path, *, megabytes: int) -> Path:
    chunk = "A" * (1024 * 1024)

    def chunks():
        yield (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
        )
        for _ in range(megabytes):
            yield chunk
        yield "</t></si></sst>"

    return write_xlsx(path, shared_strings=chunks())


def many_rows(path: Path, *, rows: int) -> Path:
    def chunks(batch: int = 10_000):
        for start in range(2, rows + 1, batch):
            # Empty rows, so that the file stays within the unpacked-size limit and the row limit must act.
            yield "".join(f'<row r="{row}"/>' for row in range(start, min(start + batch, rows + 1)))

    return write_xlsx(path, shared_strings=shared_strings("Titel"), sheet_rows=chunks(), declared_rows=rows)


def build_all(directory: Path, *, smoke: bool) -> dict[str, Path]:
    # An ordinary one-row file (refused too: its department does not exist): the process's own size.
    baseline = directory / "baseline.csv"
    baseline.write_text("Titel;Handlungsfeld;Status;Fachbereich\nTablets;Bildung;Idee;\n", encoding="utf-8")
    return {
        "baseline": baseline,
        "dtd-billion-laughs": billion_laughs(directory / "billion-laughs.xlsx"),
        "dtd-external-entity": external_entity(directory / "external-entity.xlsx"),
        "shared-string": huge_shared_string(directory / "shared-string.xlsx", megabytes=30 if smoke else 300),
        "many-rows": many_rows(directory / "many-rows.xlsx", rows=200_000 if smoke else 2_000_000),
    }


MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
message = (done.stderr.strip() or done.stdout.strip()).splitlines()
cpu = usage.ru_utime + usage.ru_stime
print(done.returncode, f"{seconds:.2f}", f"{cpu:.2f}", usage.ru_maxrss, (message or [""])[0][:160], sep="\\t")
"""


def measure(path: Path, data_dir: str) -> tuple[int, float, float, float, str]:
    """Runs the import in a fresh process; its own peak RSS, not this script's."""
    command = [sys.executable, "-c", MEASURE, sys.executable, "-m", "stadtdigital", "portfolio"]
    command += ["import", "--dry-run", str(path)]
    environment = {**os.environ, "DATA_DIR": data_dir, "HTTPS_ONLY": "false", "LOG_LEVEL": "WARNING"}
    environment.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    environment.pop("DATABASE_URL", None)
    output = subprocess.run(command, capture_output=True, text=True, env=environment, check=True).stdout
    status, seconds, cpu, peak_kb, message = output.rstrip("\n").split("\t", 4)
    return int(status), float(seconds), float(cpu), int(peak_kb) / 1024, message


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="small files (CI)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from annual_report import machine

    print(machine())
    failures = 0
    with tempfile.TemporaryDirectory(prefix="stadtdigital-hostile-") as directory:
        data_dir = str(Path(directory) / "data")
        environment = {**os.environ, "DATA_DIR": data_dir, "HTTPS_ONLY": "false"}
        environment.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
        environment.pop("DATABASE_URL", None)
        subprocess.run(
            [sys.executable, "-m", "stadtdigital", "migrate", "-v", "0"], env=environment, check=True
        )
        started = time.perf_counter()
        files = build_all(Path(directory), smoke=args.smoke)
        print(f"built {len(files)} files in {time.perf_counter() - started:.1f} s")
        print(f"{'file':<20} {'size':>9} {'exit':>4} {'seconds':>7} {'CPU s':>6} {'peak RSS':>8}  message")
        for name, path in files.items():
            status, seconds, cpu, peak_mb, message = measure(path, data_dir)
            size = path.stat().st_size
            figures = f"{status:>4} {seconds:>7.2f} {cpu:>6.2f} {peak_mb:>6.0f}MB"
            print(f"{name:<20} {size / 1024:>7.0f}kB {figures}  {message}")
            if status != 1 or peak_mb >= TARGET_PEAK_MB:
                failures += 1
    print(f"own peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if failures:
        print(f"FAILED: {failures} file(s) accepted or above {TARGET_PEAK_MB} MB")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
