"""A previous system's history file, as the history import reads it (docs/import-format.md)."""

# One valid row of the demo province: a certification at the pre-merger ward 29955, finished
# the day it was received and returned the next morning.
GOOD = {
    "code": "000.00.00.H56-240305-0001",
    "procedure_code": "2.000815",
    "receiving_unit": "29955",
    "competent_unit": "",
    "channel": "1",
    "received_at": "2024-03-05T09:15:00+07:00",
    "due_at": "",
    "supplement_requested_at": "",
    "supplemented_at": "",
    "finished_at": "2024-03-05T15:00:00+07:00",
    "returned_at": "2024-03-06T08:00:00+07:00",
    "outcome": "approved",
}
