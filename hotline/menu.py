"""The hotline's voice menu as a pure state machine: keypad entries in, prompts out (ADR 26).

No Django and no I/O: the FastAGI driver (hotline.agi) plays what a `Turn` says, then does what
its `next` asks: collect keypad digits and give them to `Menu.entry`, or look something up and
give the answer to `Menu.answer`. The machine never learns whether a lookup number exists
without the right PIN: an unknown number and a wrong PIN are the same `NotFound`, and the
number's check digit is pure arithmetic. Wrong inputs (a key outside the menu, silence, `#`
alone, a malformed number, a failed lookup) are counted; the third ends the call politely; an
answer heard resets the count. `*` goes back; after an answer, 1 repeats it.
"""

from dataclasses import dataclass
from datetime import datetime

from lib.lookupnumber import MAX_LENGTH, parse_lookup_number
from lib.numwords import date_words, number_words, time_words

MAX_WRONG = 3
PIN_LENGTH = 8  # keys collected for the PIN (six expected; a longer entry is just wrong)


# What is said.
@dataclass(frozen=True)
class Prompt:
    """A fixed prompt (hotline.prompts.PROMPTS)."""

    key: str


@dataclass(frozen=True)
class Words:
    """Numbers, dates, times, amounts in words: assembled word by word from cached pieces."""

    text: str


@dataclass(frozen=True)
class Text:
    """Free text from the records (a step's or procedure's name): synthesised whole, cached."""

    text: str


Say = Prompt | Words | Text


# What the driver does next.
@dataclass(frozen=True)
class Collect:
    """Collect up to `max_digits` keys (ended by `#` or silence) and call `Menu.entry`."""

    max_digits: int


@dataclass(frozen=True)
class FindDossier:
    """Look up the dossier by lookup number and PIN; answer a DossierStatus, NotFound or Locked."""

    number: str
    pin: str


@dataclass(frozen=True)
class FindProcedure:
    """Look up a procedure by its catalogue code's digits; answer ProcedureFacts or NotFound."""

    number: str


@dataclass(frozen=True)
class AskOfficeOpen:
    """Answer True when an officer can take the call now (office hours), else False."""


@dataclass(frozen=True)
class Transfer:
    """Hand the call to the officers' extension; the conversation is over."""


@dataclass(frozen=True)
class Hangup:
    """End the call; `reason` goes to the call log."""

    reason: str


Next = Collect | FindDossier | FindProcedure | AskOfficeOpen | Transfer | Hangup


@dataclass(frozen=True)
class Turn:
    say: tuple[Say, ...]
    next: Next


# Answers to the lookups.
@dataclass(frozen=True)
class DossierStatus:
    status: str  # a dossiers.choices.Status value
    step: str = ""  # the current step's name, "" when none
    due: datetime | None = None  # the appointment, aware, in the local time zone
    bring: tuple[str, ...] = ()  # documents the caller must bring (a supplement)


@dataclass(frozen=True)
class ProcedureFacts:
    name: str
    limit_amount: int
    limit_unit: str  # workcal.limits.LimitUnit value: "days", "hours", "same_day"
    fees: int  # fee + charge, in đồng


@dataclass(frozen=True)
class NotFound:
    """No dossier for this number and PIN (which one is wrong is never said), or no procedure."""


@dataclass(frozen=True)
class Locked:
    """Too many failed lookups from this caller (the web's PIN limit)."""


Answer = DossierStatus | ProcedureFacts | NotFound | Locked | bool

MAIN, NUMBER, PIN, PROCEDURE, ANSWERED, ENDED = (
    "main",
    "number",
    "pin",
    "procedure",
    "answered",
    "ended",
)
_ASK = {
    MAIN: ((Prompt("menu_main"),), Collect(1)),
    NUMBER: ((Prompt("ask_number"),), Collect(MAX_LENGTH)),
    PIN: ((Prompt("ask_pin"),), Collect(PIN_LENGTH)),
    PROCEDURE: ((Prompt("ask_procedure"),), Collect(MAX_LENGTH)),
    ANSWERED: ((Prompt("after_answer"),), Collect(1)),
}


def _when(due: datetime) -> Words:
    return Words(f"{time_words(due.hour, due.minute)} {date_words(due.day, due.month, due.year)}")


def say_status(s: DossierStatus) -> tuple[Say, ...]:
    """What the caller hears about a dossier found with its PIN."""
    says: list[Say] = [Prompt(f"status_{s.status}")]
    if s.step:
        says += [Prompt("current_step"), Text(s.step)]
    if s.due is not None:
        says += [Prompt("due"), _when(s.due)]
    if s.bring:
        says += [Prompt("bring"), *(Text(b) for b in s.bring)]
    if s.status == "result_ready":
        says.append(Prompt("bring_result"))
    return tuple(says)


def say_procedure(p: ProcedureFacts) -> tuple[Say, ...]:
    """What the caller hears about a procedure: name, time limit, fees in words."""
    says: list[Say] = [Prompt("procedure"), Text(p.name), Prompt("limit")]
    if p.limit_unit == "same_day" or p.limit_amount == 0:
        says.append(Prompt("same_day"))
    else:
        unit = "giờ làm việc" if p.limit_unit == "hours" else "ngày làm việc"
        says.append(Words(f"{number_words(p.limit_amount)} {unit}"))
    if p.fees:
        says += [Prompt("fee"), Words(f"{number_words(p.fees)} đồng")]
    else:
        says.append(Prompt("no_fee"))
    return tuple(says)


class Menu:
    """One call's conversation. Also keeps what the call log needs (never the keys typed)."""

    def __init__(self) -> None:
        self.state = MAIN
        self.wrong = 0
        self.waiting: Next | None = None
        self._number = ""
        self._answer: tuple[Say, ...] = ()
        # For the call log.
        self.dossier_lookups = 0
        self.dossiers_found = 0
        self.procedures_found = 0
        self.answers_heard = 0
        self.end_reason = ""

    # The driver's three entry points.
    def start(self) -> Turn:
        """The greeting and the main menu."""
        return self._turn((Prompt("welcome"), *_ASK[MAIN][0]), _ASK[MAIN][1])

    def entry(self, keys: str) -> Turn:
        """Keys collected after a Collect ("" for silence or `#` alone; `#` already removed)."""
        if self.state == ENDED:
            return self._turn((), Hangup(self.end_reason))
        if not isinstance(self.waiting, Collect):
            raise RuntimeError("the menu is not waiting for keys")
        keys = keys.strip()
        if keys == "":
            return self._wrong(Prompt("no_input"))
        if keys.startswith("*"):
            return self._back_from(self.state)
        handler = {
            MAIN: self._main,
            NUMBER: self._number_entered,
            PIN: self._pin_entered,
            PROCEDURE: self._procedure_entered,
            ANSWERED: self._answered,
        }[self.state]
        return handler(keys)

    def answer(self, result: Answer) -> Turn:
        """The answer to a FindDossier, FindProcedure or AskOfficeOpen."""
        asked, self.waiting = self.waiting, None
        if isinstance(asked, AskOfficeOpen):
            if result is True:
                return self._end((Prompt("transferring"),), "transferred", Transfer())
            return self._ask(MAIN, (Prompt("office_closed"),))
        if isinstance(asked, FindDossier):
            self.dossier_lookups += 1
            if isinstance(result, Locked):
                return self._end((Prompt("locked"),), "locked")
            if isinstance(result, DossierStatus):
                self.dossiers_found += 1
                return self._answered_with(say_status(result))
            return self._wrong(Prompt("not_found"), then=NUMBER)
        if isinstance(asked, FindProcedure):
            if isinstance(result, ProcedureFacts):
                self.procedures_found += 1
                return self._answered_with(say_procedure(result))
            return self._wrong(Prompt("procedure_unknown"))
        raise RuntimeError("the menu asked nothing to answer")

    # The states.
    def _main(self, keys: str) -> Turn:
        if keys == "1":
            return self._ask(NUMBER)
        if keys == "2":
            return self._ask(PROCEDURE)
        if keys == "0":
            return self._turn((), AskOfficeOpen())
        return self._wrong(Prompt("invalid"))

    def _number_entered(self, keys: str) -> Turn:
        if parse_lookup_number(keys) is None:
            return self._wrong(Prompt("number_invalid"))
        self._number = keys
        return self._ask(PIN)

    def _pin_entered(self, keys: str) -> Turn:
        if not keys.isascii() or not keys.isdigit():
            return self._wrong(Prompt("not_found"), then=NUMBER)
        number, self._number = self._number, ""
        return self._turn((), FindDossier(number, keys))

    def _procedure_entered(self, keys: str) -> Turn:
        if not keys.isascii() or not keys.isdigit():
            return self._wrong(Prompt("procedure_unknown"))
        return self._turn((), FindProcedure(keys))

    def _answered(self, keys: str) -> Turn:
        if keys == "1":
            return self._turn(self._answer + _ASK[ANSWERED][0], _ASK[ANSWERED][1])
        if keys == "0":
            return self._turn((), AskOfficeOpen())
        return self._wrong(Prompt("invalid"))

    # Moves.
    def _back_from(self, state: str) -> Turn:
        if state == PIN:
            return self._ask(NUMBER)
        return self._ask(MAIN)

    def _answered_with(self, says: tuple[Say, ...]) -> Turn:
        self.wrong = 0
        self.answers_heard += 1
        self._answer = says
        return self._ask(ANSWERED, says)

    def _wrong(self, why: Prompt, *, then: str | None = None) -> Turn:
        self.wrong += 1
        if self.wrong >= MAX_WRONG:
            return self._end((why, Prompt("goodbye_wrong")), "wrong_input")
        return self._ask(then or self.state, (why,))

    def _ask(self, state: str, before: tuple[Say, ...] = ()) -> Turn:
        self.state = state
        says, collect = _ASK[state]
        return self._turn(before + says, collect)

    def _end(self, says: tuple[Say, ...], reason: str, last: Next | None = None) -> Turn:
        self.state, self.end_reason = ENDED, reason
        return self._turn(says, last or Hangup(reason))

    def _turn(self, says: tuple[Say, ...], then: Next) -> Turn:
        self.waiting = then
        return Turn(says, then)
