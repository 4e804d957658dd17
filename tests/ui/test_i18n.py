"""The desk speaks 简体, 繁體 and English: every msgid of every page has both Chinese translations, and no
visible string literal bypasses the catalog (an AST scan of every ui/*.py)."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from ui.i18n import LANGUAGES, catalog, translate

UI = Path(__file__).resolve().parents[2] / "ui"
PAGES = sorted(UI.glob("*.py"))
ROLES = ["viewer", "suggester", "approver", "admin"]  # translated through t(found.role)
TRANSLATORS = {"t", "tr", "N_"}  # tr: page_item's and item_panels' name for t (`t` is the triage)

# The calls that put text on the screen: the positional arguments that are visible text, by call name
# (any receiver: st.button, st.sidebar.button, c[0].button, col.metric…), and the keywords that are.
DISPLAY: dict[str, tuple[int, ...]] = {name: (0,) for name in (
    "title", "header", "subheader", "caption", "markdown", "write", "text", "info", "warning", "error", "success",
    "toast", "exception", "button", "download_button", "form_submit_button", "link_button",
    "checkbox", "toggle", "text_input", "text_area", "number_input", "date_input", "file_uploader",
    "expander", "popover", "spinner", "status", "progress",
    "TextColumn", "NumberColumn", "CheckboxColumn", "LinkColumn", "DateColumn",
)}
DISPLAY.update({name: (0, 1) for name in ("selectbox", "multiselect", "radio", "segmented_control", "pills",
                                           "select_slider", "metric", "code")})
# Only their keywords are text: a page's file (st.Page, st.page_link), a chart's field ("rung:N").
DISPLAY.update({"tabs": (0,), "flash": (1,), "Page": (), "page_link": (), "set_page_config": (), "Chart": (),
                "X": (), "Y": (), "Color": (), "Tooltip": ()})
VISIBLE_KEYWORDS = {"label", "help", "title", "placeholder", "caption", "text", "page_title"}
# Words that are not English to translate: the export formats as file types (the radio's options).
ALLOWED = {"csv", "json"}
# Markdown badge syntax around translated text (`:red-badge[…]`) is markup, not words.
MARKUP = re.compile(r":[a-z]+-badge\[")
FORMAT_FIELD = re.compile(r"\{[^{}]*\}")


def msgids(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in TRANSLATORS
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.add(node.args[0].value)
    return found


def _words(text: str) -> bool:
    text = MARKUP.sub("", text)
    return text.strip().lower() not in ALLOWED and any(ch in string.ascii_letters for ch in text)


def _literals(node: ast.AST):
    """String literals that reach the screen as they are: through f-strings, conditionals, `+`, lists and
    `.join`/`.format`, but not through a translator call or any other call (its result is data)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.JoinedStr):
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                yield from _literals(part.value)  # not its format spec (":.1f")
            else:
                yield from _literals(part)
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)
    elif isinstance(node, ast.BoolOp):
        for v in node.values:
            yield from _literals(v)
    elif isinstance(node, ast.BinOp):
        yield from _literals(node.left)
        yield from _literals(node.right)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for e in node.elts:
            yield from _literals(e)
    elif isinstance(node, ast.Starred):
        yield from _literals(node.value)
    elif isinstance(node, (ast.GeneratorExp, ast.ListComp)):
        yield from _literals(node.elt)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("join", "format"):
        yield from _literals(node.func.value)
        for a in node.args:
            yield from _literals(a)


def _names(func: ast.expr) -> list[str]:
    if isinstance(func, ast.Attribute):
        return [func.attr]
    if isinstance(func, ast.Name):
        return [func.id]
    if isinstance(func, ast.IfExp):  # (st.success if ok else st.warning)(…)
        return _names(func.body) + _names(func.orelse)
    return []


# Widgets whose Streamlit default text is English ("Choose options"): a page must pass its own.
OWN_TEXT = {"multiselect": "placeholder"}


def untranslated(source: str) -> list[tuple[int, str]]:
    """(line, literal) of every string with letters shown by a display call without going through t()."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        names = [n for n in _names(node.func) if n in DISPLAY]
        if not names:
            continue
        found += [(node.lineno, f"{n}(…) without {OWN_TEXT[n]}=") for n in names
                  if n in OWN_TEXT and not any(k.arg == OWN_TEXT[n] for k in node.keywords)]
        positions = {i for n in names for i in DISPLAY[n]}
        if any(k.arg == "format_func" for k in node.keywords):
            positions.discard(1)  # the options are values; format_func decides what is shown
        shown = [node.args[i] for i in sorted(positions) if i < len(node.args)]
        shown += [k.value for k in node.keywords if k.arg in VISIBLE_KEYWORDS]
        found += [(lit.lineno, lit.value) for arg in shown for lit in _literals(arg) if _words(lit.value)]
    return sorted(found, key=lambda f: f[0])  # ast.walk is breadth-first: report in the file's order


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_visible_string_bypasses_the_catalog(page):
    leaks = untranslated(page.read_text(encoding="utf-8"))
    assert not leaks, f"{page.name}: visible text not routed through t(): {leaks}"


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_visible_string_has_a_translation(language):
    used = set(ROLES).union(*(msgids(p) for p in PAGES))
    assert len(used) > 300
    translations = catalog(language)
    missing = sorted(used - set(translations))
    assert not missing, f"no {language} translation for: {missing}"
    # A translation keeps the placeholders of its msgid (else .format fails or drops a value).
    broken = [m for m in used if sorted(FORMAT_FIELD.findall(m)) != sorted(FORMAT_FIELD.findall(translations[m]))]
    assert not broken, f"{language} translations with other placeholders than their msgid: {broken}"


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_a_translation_is_in_its_own_script(language):
    """简体 has no 繁體-only characters and the other way round (the usual mix-up when copying a catalog)."""
    traditional_only, simplified_only = set("據審個與為這說讀會時間處條發從們"), set("据审个与为这说读会时间处条发从们")
    wrong = traditional_only if language == "zh_Hans" else simplified_only
    mixed = sorted(m for m, text in catalog(language).items() if set(text) & wrong)
    assert not mixed, f"{language}: characters of the other script in {mixed}"


def test_the_scan_catches_literals_that_bypass_t():
    page = '''
st.button("Approve", key="a")
c[0].metric("Open cases", 3, help="from the queue")
st.caption(f"{n} item(s) left")
(st.success if ok else st.warning)(f"{name}: {'ok' if ok else detail}")
st.tabs(["Products", t("Policies")])
shared.flash("error", "Not saved")
st.selectbox(t("Brand"), ["all brands", *brands])
st.multiselect(t("Violation"), [*values, "none"], format_func=label, placeholder=t("Choose options"))
st.multiselect(t("Source"), values)
st.text(t("usage: {u}", u=usage) + " (bad)")
st.Page("page_item.py", title="Item")
'''
    found = [text for _, text in untranslated(page)]
    assert found == ["Approve", "Open cases", "from the queue", " item(s) left", "ok", "Products", "Not saved",
                     "all brands", "multiselect(…) without placeholder=", " (bad)", "Item"]
    ok = '''
st.button(t("Approve"), key="a", type="primary", width="stretch")
st.code(text, language=None)
st.radio(t("Format"), ["csv", "json"])
st.markdown(f":red-badge[{t('severity {n}', n=3)}]")
st.text(f"{who}：{text:>10}")
st.metric(t("Cases"), "—")
'''
    assert untranslated(ok) == []


def test_the_queue_and_item_pages_put_their_labels_through_the_catalog():
    assert {"Review queue", "Status", "Severity", "Search", "Open item"} <= msgids(UI / "page_queue.py")
    assert {"✅ Approve", "Reject", "Regenerate", "Reply"} <= msgids(UI / "page_item.py")
    assert {"Comment", "Triage", "Evidence"} <= msgids(UI / "item_panels.py")  # the item page's panels


def test_translation_fills_placeholders_in_each_language():
    assert translate("Signed in as {name} ({role})", "zh_Hant", name="amy", role="x") == "已登入：amy（x）"
    assert translate("Signed in as {name} ({role})", "en", name="amy", role="x") == "Signed in as amy (x)"
    assert translate("Review queue", "zh_Hans") == "审核队列"
    assert translate("needs_review", "zh_Hant") == "待審核" and translate("needs_review", "en") == "needs_review"
