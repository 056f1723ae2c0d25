"""Query synonyms: words readers type that the docs spell another way.

Applied to query words only (the worker adds them as alternatives at 0.9 of
a word's weight).  Keys are query words as typed, lower-case; values are
document words.  Sites extend the table under ``search: synonyms:`` in the
``bitext`` plugin entry.
"""

from __future__ import annotations

from bitext.lang.ko import HANGUL
from bitext.search.latin import token_terms

BUILT_IN: dict[str, dict[str, list[str]]] = {
    "ko": {
        "이메일": ["메일", "전자메일"],
        "전자메일": ["메일"],
        "비밀번호": ["암호"],
        "패스워드": ["암호"],
        "라벨": ["레이블"],
        "로그인": ["로그온"],
        "쉐어포인트": ["SharePoint"],
        "셰어포인트": ["SharePoint"],
        "아웃룩": ["Outlook"],
        "팀즈": ["Teams"],
        "원드라이브": ["OneDrive"],
        "익스체인지": ["Exchange"],
        "파워셸": ["PowerShell"],
        "파워쉘": ["PowerShell"],
        "애저": ["Azure"],
        "오피스": ["Office"],
        "이디스커버리": ["eDiscovery"],
        "전자증거개시": ["eDiscovery"],
    },
    "en": {
        "e-mail": ["email"],
        "emails": ["email"],
        "antispam": ["anti-spam"],
        "antimalware": ["anti-malware"],
        "2fa": ["mfa"],
        "setup": ["set"],
        "login": ["log", "sign"],
        "signin": ["sign"],
        "logon": ["log"],
    },
}


def table(lang: str, extra: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """``{query word: [index terms]}`` for ``lang``: the built-in table, then the site's own entries.

    Korean values must be index terms as they are; Latin values are analysed
    as document text is (their whole-token term).
    """
    merged = dict(BUILT_IN.get(lang.split("-", maxsplit=1)[0].lower(), {}))
    merged.update(extra or {})
    out = {}
    for word, values in merged.items():
        found = []
        for value in values:
            if HANGUL.search(value):
                found.append(value)
            else:
                found.extend(term for term, whole in token_terms(value) if whole)
        out[word.lower()] = found
    return out
