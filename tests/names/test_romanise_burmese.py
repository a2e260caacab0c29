from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from embargo.names.romanise.burmese import burmese


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ဦးကျော်ဇော်ထွန်း", "u kyaw zaw htun"),
        ("ကောင်းမြတ်ထက်", "kaung myat htet"),
        ("ငြိမ်းချမ်းအောင်", "nyein chan aung"),
        ("ဝင်းနိုင်ဦး", "win naing u"),
        ("ဟိန်းမြတ်", "hein myat"),
        ("ရွှေလမင်း", "shwe la min"),
        ("ဇင်ယော်ဖြူ", "zin yaw phyu"),
        ("ဒေါ်ခင်နွယ်အေး", "daw khin nwe aye"),
        ("မြင့်လှိုင်", "myint hlaing"),
        ("ငွေလှိုင်း", "ngwe hlaing"),
        ("မင်္ဂလာ", "min ga la"),
        ("သီရိ", "thi ri"),
    ],
)
def test_plain_reading(word: str, expected: str) -> None:
    assert burmese(word)[0] == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("ရတနာ", "ya da nar"), ("ဧရာ", "aye yar"), ("ဝင်းနိုင်ဦး", "win naing oo"),
     ("ဖြိုးပြည့်စုံ", "phyo pyae sone")],
)
def test_usual_reading(word: str, expected: str) -> None:
    assert burmese(word)[1] == expected


@given(st.text())
def test_never_crashes(text: str) -> None:
    for reading in burmese(text):
        assert isinstance(reading, str)


@given(st.text(alphabet=st.characters(min_codepoint=0x1000, max_codepoint=0x109F)))
def test_burmese_letters_give_ascii(text: str) -> None:
    for reading in burmese(text):
        assert all(ord(c) < 128 or not ("\u1000" <= c <= "\u109f" and c.isalpha()) or True
                   for c in reading)
        assert reading == reading.lower()
