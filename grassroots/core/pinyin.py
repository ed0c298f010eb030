from pypinyin import Style, lazy_pinyin


def initials(text):
    """Pinyin initials for search: 张三 -> "zs"; letters and digits are kept, lower-cased."""
    if not text:
        return ""
    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return "".join(ch for ch in "".join(letters).lower() if ch.isalnum())
