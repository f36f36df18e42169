import pytest

from retro.errors import ValidationError
from retro.ids import is_id, new_id
from retro.services import checks


def test_ids_carry_128_random_bits_and_sort_by_creation_time():
    early, late = new_id(now_ms=1_000), new_id(now_ms=2_000)
    assert early < late
    assert is_id(early)
    assert len(early) == 36
    assert len({new_id(now_ms=5) for _ in range(1000)}) == 1000


@pytest.mark.parametrize("bad", ["", "   ", "x" * 2001, "bell\x07", "nul\x00"])
def test_bad_note_text_is_refused_naming_the_field(bad):
    with pytest.raises(ValidationError) as caught:
        checks.note_text(bad)
    assert caught.value.field == "text"


def test_note_text_is_trimmed_and_may_span_lines():
    assert checks.note_text("  first\nsecond\t \n") == "first\nsecond"


@pytest.mark.parametrize("bad", ["", "t" * 201, "two\nlines"])
def test_bad_titles_are_refused(bad):
    with pytest.raises(ValidationError, match="title"):
        checks.title(bad)


@pytest.mark.parametrize("bad", [0, 101, "5", True])
def test_vote_budget_must_be_1_to_100(bad):
    with pytest.raises(ValidationError, match=r"settings\.voteBudget"):
        checks.budget(bad)


def test_only_ids_of_retros_shape_name_items():
    with pytest.raises(ValidationError, match="boardId: is not a valid id"):
        checks.ident("../../etc", "boardId")
