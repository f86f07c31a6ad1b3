"""Unit: the shapes of the fresh82 first contact (Exploit-DB's newest web-application exploits no older split read,
against WordPress 6.1.9's REST data: route schema, block types, theme.json, templates and patterns).

Fixed: a whole value that is a file in a Windows user's profile holding that user's secrets, the account's registry
hive or a browser's password, cookie or key store under ``AppData`` (also URL-style with one leading slash), next to
the machine-wide ``ProgramData`` configuration files ``windows_paths`` already read. Left: ``admin OR '1=1`` (the
exploit's quote sits where no SQL context parses the value). Values are our own; none comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

from shape_tables import shape_tests

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]

REJECTED = {
    "a user profile's secret store as the whole value": [
        "C:\\Users\\alice\\NTUSER.DAT",
        "c:/users/bob/usrclass.dat",
        "/d:/Users/svc_backup/AppData/Local/Microsoft/Edge/User Data/Default/Login Data",
        "C:\\Users\\carol\\AppData\\Local\\BraveSoftware\\Brave-Browser\\User Data\\Local State",
        "c:\\users\\dave\\appdata\\roaming\\Mozilla\\Firefox\\Profiles\\x1y2.default-release\\key4.db",
        "C:/Documents and Settings/erin/Local Settings/Application Data/Google/Chrome/User Data/Default/Cookies",
        "  /c:/users/frank/AppData/Roaming/Opera Software/Opera Stable/Web Data ",
    ],
}

PASSED = {
    "profile paths that are not a secret store, and secret stores named in text": [
        "C:\\Users\\alice\\AppData\\Local\\Programs\\Editor\\editor.exe",
        "C:\\Users\\alice\\AppData\\Local\\Temp",
        "C:\\Users\\bob\\Downloads\\cookies.txt",
        "C:\\Users\\bob\\Documents\\Local State of the Union.docx",
        "The hive is C:\\Users\\alice\\NTUSER.DAT; back it up before editing.",
        "Clear Login Data and Cookies in your browser settings",
        "Chrome keeps the key in 'Local State' under your profile",
        "/users/alice/appdata/local state",
        "users/bob/NTUSER.DAT",
    ],
}

test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_path_field_waived(engine: Engine) -> None:
    assert engine.inspect("C:\\Users\\alice\\NTUSER.DAT", Context("body", "config_path")) is None


def test_linear(inspect_seconds: Callable[[str, Context], float]) -> None:
    for unit in ("c:/users/x/appdata/", "/c:\\users\\a b\\", "c:/users/", "/appdata/local/"):
        half = unit * (64 * 1024 // len(unit))
        whole = half + half
        assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05, unit
