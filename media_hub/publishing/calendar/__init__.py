"""The weekly publication calendar: slots from `catalog/calendar.toml` filled with ready
assets (`plan`), the schedule kept on the publications (`book`), shown as a grid, JSON, an
iCalendar file or a page (`views`, `ics`), and carried out on the platforms (`run`)."""
