"""The voice menu as a state machine: whole conversations, and properties over random keys."""

from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.menu import (
    AskOfficeOpen,
    Collect,
    DossierStatus,
    FindDossier,
    FindProcedure,
    Hangup,
    Locked,
    Menu,
    NotFound,
    ProcedureFacts,
    Prompt,
    Text,
    Transfer,
    Turn,
    Words,
    say_procedure,
)
from hotline.prompts import PROMPTS
from lib.lookupnumber import lookup_number

NUMBER = lookup_number(42)  # "0000427"
PIN = "123456"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
STATUS = DossierStatus(
    "in_progress", step="Thẩm định hồ sơ", due=datetime(2026, 12, 15, 16, 30, tzinfo=HCM), bring=()
)
FACTS = ProcedureFacts("Đăng ký khai sinh", limit_amount=3, limit_unit="days", fees=1250000)


def keys(turn: Turn) -> list[str]:
    return [s.key for s in turn.say if isinstance(s, Prompt)]


class World:
    """The outside the menu asks: one dossier (NUMBER, PIN) or none, one procedure, office hours."""

    def __init__(self, *, dossier: bool = True, open_now: bool = True) -> None:
        self.dossier, self.open_now = dossier, open_now

    def resolve(self, menu: Menu, turn: Turn) -> Turn:
        while isinstance(turn.next, (FindDossier, FindProcedure, AskOfficeOpen)):
            ask = turn.next
            said = turn.say
            if isinstance(ask, FindDossier):
                ok = self.dossier and (ask.number, ask.pin) == (NUMBER, PIN)
                turn = menu.answer(STATUS if ok else NotFound())
            elif isinstance(ask, FindProcedure):
                turn = menu.answer(FACTS if ask.number == "1001234" else NotFound())
            else:
                turn = menu.answer(self.open_now)
            turn = Turn(said + turn.say, turn.next)
        return turn


def talk(entries: list[str], world: World | None = None) -> tuple[Menu, list[Turn]]:
    world = world or World()
    menu = Menu()
    turns = [menu.start()]
    for entry in entries:
        if not isinstance(turns[-1].next, Collect):
            break
        turns.append(world.resolve(menu, menu.entry(entry)))
    return menu, turns


def test_a_caller_hears_the_status_step_and_appointment_in_words() -> None:
    menu, turns = talk(["1", NUMBER, PIN])
    assert keys(turns[0]) == ["welcome", "menu_main"]
    assert keys(turns[1]) == ["ask_number"]
    assert keys(turns[2]) == ["ask_pin"]
    said = turns[3].say
    assert said[0] == Prompt("status_in_progress")
    assert Text("Thẩm định hồ sơ") in said
    assert (
        Words(
            "mười sáu giờ ba mươi phút ngày mười lăm tháng mười hai năm hai nghìn không trăm "
            "hai mươi sáu"
        )
        in said
    )
    assert said[-1] == Prompt("after_answer") and turns[3].next == Collect(1)
    assert (menu.dossier_lookups, menu.dossiers_found) == (1, 1)


def test_repeat_then_back_to_the_main_menu() -> None:
    _, turns = talk(["1", NUMBER, PIN, "1", "*"])
    assert turns[4].say == turns[3].say[-len(turns[4].say) :]
    assert turns[4].say[0] == Prompt("status_in_progress")
    assert keys(turns[5]) == ["menu_main"]


def test_star_goes_back_from_the_pin_to_the_number_and_from_the_number_to_the_menu() -> None:
    _, turns = talk(["1", NUMBER, "*", "*"])
    assert keys(turns[3]) == ["ask_number"]
    assert keys(turns[4]) == ["menu_main"]


def test_a_procedure_time_limit_and_fees_in_words() -> None:
    menu, turns = talk(["2", "1001234"])
    said = turns[2].say
    assert said[:3] == (Prompt("procedure"), Text("Đăng ký khai sinh"), Prompt("limit"))
    assert Words("ba ngày làm việc") in said
    assert Words("một triệu hai trăm năm mươi nghìn đồng") in said
    assert menu.procedures_found == 1


def test_a_free_procedure_and_a_same_day_limit() -> None:
    said = say_procedure(ProcedureFacts("Chứng thực", 0, "same_day", 0))
    assert Prompt("same_day") in said and Prompt("no_fee") in said


def test_an_unknown_procedure_is_a_wrong_input() -> None:
    menu, turns = talk(["2", "999"])
    assert keys(turns[2]) == ["procedure_unknown", "ask_procedure"]
    assert menu.wrong == 1


def test_an_officer_in_office_hours_and_a_message_outside() -> None:
    menu, turns = talk(["0"], World(open_now=True))
    assert keys(turns[1]) == ["transferring"] and turns[1].next == Transfer()
    assert menu.end_reason == "transferred"
    _, turns = talk(["0"], World(open_now=False))
    assert keys(turns[1]) == ["office_closed", "menu_main"] and turns[1].next == Collect(1)


def test_a_mistyped_number_is_caught_by_its_check_digit_before_the_pin() -> None:
    _, turns = talk(["1", "0000428"])
    assert keys(turns[2]) == ["number_invalid", "ask_number"]


def test_silence_and_hash_alone_count_as_wrong_and_three_end_politely() -> None:
    menu, turns = talk(["", "", "5", "1"])
    assert keys(turns[1]) == ["no_input", "menu_main"]
    assert keys(turns[3]) == ["invalid", "goodbye_wrong"]
    assert turns[3].next == Hangup("wrong_input") and len(turns) == 4
    assert menu.entry("1").next == Hangup("wrong_input")  # keys after the end change nothing


def test_an_answer_heard_resets_the_wrong_count() -> None:
    menu, turns = talk(["9", "1", NUMBER, "000000", NUMBER, PIN, "7", "8"])
    assert keys(turns[4]) == ["not_found", "ask_number"]
    assert turns[6].say[0] == Prompt("status_in_progress")
    assert turns[-1].next == Collect(1) and menu.wrong == 2


def test_a_locked_caller_hears_why_and_the_call_ends() -> None:
    menu = Menu()
    menu.start()
    menu.entry("1")
    menu.entry(NUMBER)
    assert isinstance(menu.entry(PIN).next, FindDossier)
    turn = menu.answer(Locked())
    assert keys(turn) == ["locked"] and turn.next == Hangup("locked")


ENTRY = st.one_of(
    st.text(alphabet="0123456789*#", max_size=16),
    st.sampled_from(["", "1", "2", "0", "*", NUMBER, PIN, "1001234", "0000428"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ENTRY, max_size=25))
def test_random_keys_never_crash_and_end_within_three_wrong(entries: list[str]) -> None:
    menu, turns = talk(entries)
    for turn in turns:
        assert turn.say or not isinstance(turn.next, Collect)
        assert isinstance(turn.next, (Collect, Hangup, Transfer))
        for s in turn.say:
            if isinstance(s, Prompt):
                assert s.key in PROMPTS
    assert menu.wrong <= 3
    if menu.wrong == 3:
        assert turns[-1].next == Hangup("wrong_input")
        assert keys(turns[-1])[-1] == "goodbye_wrong"


@settings(max_examples=300, deadline=None)
@given(st.lists(ENTRY, max_size=25), st.booleans())
def test_without_the_pin_a_caller_cannot_tell_whether_the_dossier_exists(
    entries: list[str], open_now: bool
) -> None:
    # The same keys against a world holding the dossier and a world holding none: unless the
    # caller typed the right number and PIN, every prompt heard is the same.
    _, with_dossier = talk(entries, World(dossier=True, open_now=open_now))
    _, without = talk(entries, World(dossier=False, open_now=open_now))
    if any(t.say and t.say[0] == Prompt("status_in_progress") for t in with_dossier):
        return  # the right PIN was typed: existence is the caller's to know
    assert with_dossier == without
