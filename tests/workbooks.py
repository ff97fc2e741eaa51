"""Writing small Excel workbooks the way officials lay them out, for tests."""

from openpyxl import Workbook


def xlsx(path, sheets):
    """sheets: {name: rows}; rows may start with title rows."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path
