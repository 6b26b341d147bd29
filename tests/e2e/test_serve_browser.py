"""`timeline serve` in a real browser: headless Chromium opens the page, the app
renders, a person types a filter, and the page shows the narrowed list.

The page draws the terminal on a canvas (xterm.js), so the test reads what the
page received to draw: a script installed before the page's own records every
WebSocket message. Keys go to xterm's input, as a person's would."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="Chromium is not installed (apt-get install chromium chromium-driver; .ci/run does it)",
)

RECORD_WEBSOCKET = """
window.__received = [];
const Native = window.WebSocket;
window.WebSocket = function (url, protocols) {
  const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
  socket.addEventListener("message", async (event) => {
    let data = event.data;
    if (data instanceof Blob) data = await data.arrayBuffer();
    if (data instanceof ArrayBuffer) data = new TextDecoder("utf-8").decode(data);
    window.__received.push(String(data));
  });
  return socket;
};
window.WebSocket.prototype = Native.prototype;
Object.assign(window.WebSocket, Native);
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Served:
    def __init__(self, process: subprocess.Popen[str], url: str, said: str) -> None:
        self.process = process
        self.url = url
        self.said = said


def start_server(tmp_path: Path, *args: str, port: int | None = None) -> Served:
    """`timeline serve` on a free port, until it answers; `url` is the one it printed."""
    port = port or free_port()
    marker = tmp_path / "browser-started-here"
    browser = tmp_path / "browser.sh"
    browser.write_text(f"#!/bin/sh\ntouch {marker}\n")
    browser.chmod(0o755)
    editor = tmp_path / "editor.sh"
    editor.write_text(f"#!/bin/sh\ntouch {tmp_path / 'editor-started-here'}\n")
    editor.chmod(0o755)
    env = {
        **os.environ,
        "TIMELINE_DATA_DIR": str(tmp_path / "data"),
        "BROWSER": str(browser),
        "EDITOR": str(editor),
    }
    command = [sys.executable, "-m", "tui", "serve", "--port", str(port), *args]
    log = tmp_path / "serve.log"  # a file, not a pipe: a full pipe would stall the server
    with log.open("w") as errors:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            text=True,
            start_new_session=True,  # its own group: the apps it started go with it
        )
    for _ in range(100):
        said = log.read_text().split("\n", 1)[0]
        if " at " in said:
            break
        time.sleep(0.1)
    url = said.split(" at ", 1)[1].split(" (", 1)[0]
    for _ in range(100):
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return Served(process, url, said)
        except OSError:
            time.sleep(0.1)
    stop(process)
    raise AssertionError(f"the server never answered at {url}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    served = start_server(tmp_path)
    try:
        yield served.url
    finally:
        stop(served.process)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    os.environ["SE_OFFLINE"] = "true"  # Selenium must not look for drivers on the network
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,800",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def record(driver: object) -> None:
    """From the next page on, keep every WebSocket message the page receives."""
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_WEBSOCKET})  # type: ignore[attr-defined]


def received(driver: object) -> str:
    """What the page received, without the terminal's control sequences (a style may
    start inside a word)."""
    text = str(driver.execute_script("return window.__received.join('')"))  # type: ignore[attr-defined]
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


def wait_for(driver: object, text: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while text not in received(driver):
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never reached the page")
        time.sleep(0.2)


def test_the_app_in_a_browser_renders_and_filters(
    server: str, browser: object, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    record(driver)
    driver.get(server)  # type: ignore[attr-defined]
    wait_for(driver, "13 of 13 events")
    assert "North Korean soldiers captured in Kursk" in received(driver)
    keys = driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")  # type: ignore[attr-defined]
    keys.send_keys("/")
    time.sleep(0.3)
    keys.send_keys("on:2024-06-19")
    wait_for(driver, "1 of 13 events")
    assert "Russia and North Korea sign a strategic partnership treaty" in received(driver)
    driver.save_screenshot(str(tmp_path / "filtered.png"))  # type: ignore[attr-defined]


def test_serve_refuses_a_bad_file_before_serving(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"events": [}')
    result = subprocess.run(
        [sys.executable, "-m", "tui", "serve", str(bad), "--port", str(free_port())],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
    )
    assert result.returncode == 2 and "invalid JSON" in result.stderr


def stop(process: subprocess.Popen[str]) -> None:
    """The server and every app it started for a page."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:  # a page still connected keeps it waiting
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_served_app_saves_nothing_and_opens_links_in_the_browser(
    server: str, browser: object, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = browser
    record(driver)
    driver.get(server)  # type: ignore[attr-defined]
    wait_for(driver, "13 of 13 events")
    wait_for(driver, "Read-only")
    keys = driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")  # type: ignore[attr-defined]
    keys.send_keys("*")
    wait_for(driver, "Starred for this session (read-only: nothing is saved)")
    keys.send_keys("n")
    wait_for(driver, "ctrl+s saves and closes")
    keys.send_keys("a note")
    time.sleep(0.3)
    keys.send_keys(Keys.CONTROL, "s")
    wait_for(driver, "Note kept for this session")
    keys.send_keys("e")  # an editor here would be a shell on the server: not offered
    keys.send_keys("N")
    keys.send_keys("x")  # the export is a download, not a file written here
    wait_for(driver, "Download the shown events as")
    keys.send_keys(Keys.ENTER)
    wait_for(driver, '["deliver_file_start"')
    assert "* Star" in received(driver) and "N New" not in received(driver)  # the footer
    keys.send_keys("j")  # the treaty, whose source has a link
    time.sleep(0.3)
    keys.send_keys("o")
    wait_for(driver, '["open_url", {"url": "https://unn.ua/')  # handed to the browser
    time.sleep(1)
    assert not (tmp_path / "browser-started-here").exists()  # no browser started here
    assert not (tmp_path / "editor-started-here").exists()  # nor an editor
    assert not list(ROOT.glob("*-view.md")) and not list(tmp_path.glob("*-view.md"))
    data = tmp_path / "data"
    assert not data.exists() or not list(data.iterdir())  # nothing written


def test_beyond_loopback_every_request_needs_the_token(browser: object, tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    served = start_server(tmp_path, "--host", "0.0.0.0", "--public-url", base, port=port)
    try:
        token = served.url.split("?token=", 1)[1]
        assert len(token) >= 20 and served.url == f"{base}/?token={token}"
        for refused in ("/", "/?token=wrong", "/ws", "/static/js/textual.js"):
            assert status_of(base + refused) == 403, refused
        record(browser)
        browser.get(served.url)  # type: ignore[attr-defined]
        wait_for(browser, "13 of 13 events")  # the page, its scripts and its WebSocket got in
    finally:
        stop(served.process)


def test_a_token_given_is_the_one_needed(tmp_path: Path) -> None:
    served = start_server(tmp_path, "--token", "s3cret-for-the-test")
    try:
        assert served.url.endswith("/?token=s3cret-for-the-test")
        assert status_of(served.url.split("?")[0]) == 403
        assert status_of(served.url) == 200
    finally:
        stop(served.process)
