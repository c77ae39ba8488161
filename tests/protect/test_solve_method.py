"""``solve_plan``'s method names: the fast solver ships with escolta, so ``auto`` is ``fast``."""

import pytest

from escolta.errors import InputError
from escolta.protect.solve import resolve_method


@pytest.mark.parametrize(
    ("method", "chosen"),
    [("auto", "fast"), ("fast", "fast"), ("reference", "reference")],
)
def test_method_names_resolve(method: str, chosen: str) -> None:
    assert resolve_method(method) == chosen


def test_an_unknown_method_is_named() -> None:
    with pytest.raises(InputError) as error:
        resolve_method("quick")
    assert error.value.field == "method" and error.value.value == "quick"
