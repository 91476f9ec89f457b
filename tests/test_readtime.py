"""The reading-time model, constant by constant."""

from __future__ import annotations

import pytest

import excerptor
from excerptor.readtime import TextCounts, count_text, image_seconds, minutes
from excerptor.settings import Settings as ReadingSpeed


@pytest.mark.parametrize(
    ("text", "cjk", "latin"),
    [
        ("日本語の文章です。", 8, 0),
        ("カタカナテキスト", 8, 0),  # katakana counts per character, not as one "word"
        ("ﾊﾝｶｸｶﾀｶﾅ", 8, 0),
        ("This is a pen.", 0, 4),
        ("AmazonがAWSでAIチップを開発", 8, 3),
        ("Ver.2.0をリリース", 5, 1),
        ("e-mail and don't", 0, 3),
        ("한국어", 3, 0),
        ("１２３ＡＢＣ", 6, 0),
        ("", 0, 0),
        ("😀🎉", 0, 0),
    ],
)
def test_count_text(text: str, cjk: int, latin: int) -> None:
    counts = count_text(text)
    assert (counts.cjk_chars, counts.latin_words) == (cjk, latin)


def test_cjk_rate_is_500_per_minute() -> None:
    assert minutes(TextCounts(cjk_chars=500)) == 1
    assert minutes(TextCounts(cjk_chars=501)) == 2
    assert minutes(TextCounts(cjk_chars=5000)) == 10


def test_latin_rate_is_250_words_per_minute() -> None:
    assert minutes(TextCounts(latin_words=250)) == 1
    assert minutes(TextCounts(latin_words=251)) == 2


def test_images_follow_mediums_rule() -> None:
    assert image_seconds(1) == 12
    assert image_seconds(2) == 12 + 11
    # 12+11+…+3 for ten images, then 3 s each
    assert image_seconds(12) == sum(range(3, 13)) + 3 + 3
    assert minutes(TextCounts(images=1)) == 1
    assert minutes(TextCounts(images=6)) == 1  # 12+11+10+9+8+7 = 57 s
    assert minutes(TextCounts(images=7)) == 2  # 63 s


def test_code_is_counted_separately() -> None:
    assert minutes(TextCounts(code_lines=30)) == 1
    assert minutes(TextCounts(code_lines=31)) == 2


def test_every_constant_is_configurable() -> None:
    slow = ReadingSpeed(cjk_chars_per_minute=250)
    assert minutes(TextCounts(cjk_chars=500), slow) == 2
    assert minutes(TextCounts(latin_words=100), ReadingSpeed(words_per_minute=50)) == 2
    assert minutes(TextCounts(images=1), ReadingSpeed(image_seconds=120)) == 2


def test_rounds_up_with_minimum_one() -> None:
    assert minutes(TextCounts(cjk_chars=1)) == 1
    assert minutes(TextCounts()) == 0


def test_public_reading_time_counts_only_what_a_reader_sees() -> None:
    body = (
        "# 見出し\n\n"
        + "あ" * 450
        + "[リンク](https://example.com/very/long/url/that/is/not/read)\n\n"
        + '<div class="note">ignored</div>\n\n'
        + "{% include note.html %}\n"
    )
    # 3 (heading) + 450 + 3 (link text) = 456 CJK characters: one minute, not two.
    assert excerptor.reading_time(body) == 1


def test_public_reading_time_katakana_and_images() -> None:
    assert excerptor.reading_time("カ" * 1000) == 2
    assert excerptor.reading_time("![a](a.png)\n\n![b](b.png)\n") == 1
    assert excerptor.reading_time("") == 0
    assert excerptor.reading_time("文") == 1
    assert excerptor.reading_time("😀🎉") == 1  # visible, though no rate counts it
    assert excerptor.reading_time(":") == 1
    assert excerptor.reading_time(" \n\n ") == 0
