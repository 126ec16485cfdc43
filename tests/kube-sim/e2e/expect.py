"""Output expectations for the real-kubectl suite (stdlib only).

Every expectation has problems(actual) -> list of strings (empty = match).
Volatile values are normalised, nothing else: ages in AGE columns become
<age>, RFC 3339 times <ts>, resourceVersions <rv>, UIDs <uid>.
"""
import re

AGE = re.compile(r"^\d+[smhdy](\d+[smhd])?$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
UID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

# kubectl's tabwriter [cli-runtime printers/tabwriter.go]: minwidth 6,
# padding 3, pad with spaces; the last cell of a line is not padded.
MIN_WIDTH, PADDING = 6, 3


def render_table(rows):
    """Lays out rows of cells exactly as kubectl's tabwriter does."""
    if not rows:
        return ""
    columns = max(len(r) for r in rows)
    widths = [0] * columns
    for row in rows:
        for i, cell in enumerate(row[:-1]):
            widths[i] = max(widths[i], len(cell) + PADDING, MIN_WIDTH)
    out = []
    for row in rows:
        line = "".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])) + row[-1]
        out.append(line + "\n")
    return "".join(out)


def split_table(text):
    """Cells of a tabwriter table, cut at the header's column starts."""
    lines = text.splitlines()
    if not lines:
        return []
    header = lines[0]
    starts = [0] + [i for i in range(2, len(header))
                    if header[i] != " " and header[i - 1] == " " and header[i - 2] == " "]
    rows = []
    for line in lines:
        bounds = list(zip(starts, starts[1:] + [None]))
        rows.append([line[a:b].rstrip() if b is not None else line[a:] for a, b in bounds])
    return rows


def normalise_cells(rows):
    """Replaces AGE cells by <age> and CREATED AT cells by <ts>."""
    if not rows:
        return rows
    header = rows[0]
    out = [list(header)]
    for row in rows[1:]:
        cells = list(row)
        for i, name in enumerate(header):
            if i >= len(cells):
                continue
            if name == "AGE" and AGE.match(cells[i]):
                cells[i] = "<age>"
            elif name == "CREATED AT" and TIMESTAMP.match(cells[i]):
                cells[i] = "<ts>"
        out.append(cells)
    return out


class Exact:
    def __init__(self, text):
        self.text = text

    def problems(self, actual):
        return [] if actual == self.text else [f"expected {self.text!r}\n       got {actual!r}"]


class Table:
    """A kubectl table: exact layout, and exact cells once ages are normalised."""

    def __init__(self, rows):
        self.rows = [list(r) for r in rows]

    def problems(self, actual):
        rows = split_table(actual)
        found = []
        if render_table(rows) != actual:
            found.append(f"not laid out like kubectl's tabwriter:\n{actual}")
        cells = normalise_cells(rows)
        if cells != self.rows:
            found.append(f"expected cells {self.rows}\n       got {cells}\n{actual}")
        return found


class Normalised:
    """Exact text after replacing creationTimestamp, resourceVersion and uid
    values (YAML or JSON spelling)."""

    def __init__(self, text):
        self.text = text

    @staticmethod
    def normalise(text):
        text = re.sub(r'(creationTimestamp"?: )"[0-9TZ:-]+"', r'\1"<ts>"', text)
        text = re.sub(r'(resourceVersion"?: )"\d+"', r'\1"<rv>"', text)
        text = re.sub(r'(uid"?: )("?)' + UID + r'("?)', r"\1\2<uid>\3", text)
        return text

    def problems(self, actual):
        got = self.normalise(actual)
        return [] if got == self.text else [f"expected (normalised):\n{self.text}\n       got:\n{got}"]


class Lines:
    """Exact first lines, then substrings that must occur in the rest."""

    def __init__(self, first_lines, contains=()):
        self.first_lines = first_lines
        self.contains = contains

    def problems(self, actual):
        found = []
        if not actual.startswith(self.first_lines):
            found.append(f"expected to start with {self.first_lines!r}\n       got {actual!r}")
        for piece in self.contains:
            if piece not in actual:
                found.append(f"expected to contain {piece!r}\n       got {actual!r}")
        return found


def expectation(value):
    return value if hasattr(value, "problems") else Exact(value)
